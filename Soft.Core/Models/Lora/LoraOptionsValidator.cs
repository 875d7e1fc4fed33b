using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Soft.Models.Lora;

/// <summary>
/// Checks <see cref="LoraOptions"/> and reports every broken rule at once, each naming the property and the allowed
/// range.
/// </summary>
internal sealed class LoraOptionsValidator : IValidateOptions<LoraOptions>
{
    /// <summary>Validates <paramref name="options"/>.</summary>
    /// <param name="name">The options name; LoRA options are validated whatever the name.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure that lists every broken rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (options.Rank < 1)
        {
            errors.AddError($"must be at least 1, was {options.Rank}.", nameof(LoraOptions.Rank));
        }

        if (!(options.Alpha > 0) || double.IsInfinity(options.Alpha))
        {
            errors.AddError($"must be a finite number above 0, was {options.Alpha}.", nameof(LoraOptions.Alpha));
        }

        if (!(options.Dropout >= 0 && options.Dropout < 1))
        {
            errors.AddError($"must be in [0, 1), was {options.Dropout}.", nameof(LoraOptions.Dropout));
        }

        if (options.TargetModulesPattern is { } pattern)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                errors.AddError("must be null or a non-empty regular expression.", nameof(LoraOptions.TargetModulesPattern));
            }
            else
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant);
                }
                catch (ArgumentException e)
                {
                    errors.AddError($"'{pattern}' is not a valid regular expression: {e.Message}", nameof(LoraOptions.TargetModulesPattern));
                }
            }
        }
        else if (options.TargetModules is null || options.TargetModules.Count == 0)
        {
            errors.AddError(
                "must name at least one module (for example q_proj, v_proj) unless TargetModulesPattern is set.",
                nameof(LoraOptions.TargetModules));
        }
        else if (options.TargetModules.Any(string.IsNullOrWhiteSpace))
        {
            errors.AddError("must not contain empty names.", nameof(LoraOptions.TargetModules));
        }

        if (options.TrainableTokenIndices is { } tokens)
        {
            if (tokens.Count == 0)
            {
                errors.AddError("must be null or list at least one token id.", nameof(LoraOptions.TrainableTokenIndices));
            }
            else if (tokens.FirstOrDefault(t => t < 0) is var negative && negative < 0)
            {
                errors.AddError($"must hold token ids of 0 or more, found {negative}.", nameof(LoraOptions.TrainableTokenIndices));
            }
            else if (tokens.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                errors.AddError($"lists token id {twice.Key} twice or more; list each id once.", nameof(LoraOptions.TrainableTokenIndices));
            }
        }

        return errors.Build();
    }

    /// <summary>Throws when <paramref name="options"/> break a rule.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A rule is broken; the message lists every broken rule.</exception>
    internal static void ThrowIfInvalid(LoraOptions options)
    {
        var result = new LoraOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException($"Invalid LoRA options: {result.FailureMessage}", nameof(options));
        }
    }
}
