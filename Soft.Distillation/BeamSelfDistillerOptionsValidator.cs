using Microsoft.Extensions.Options;

namespace Soft.Distillation;

/// <summary>Validates <see cref="BeamSelfDistillerOptions"/>.</summary>
public sealed class BeamSelfDistillerOptionsValidator : IValidateOptions<BeamSelfDistillerOptions>
{
    /// <summary>Checks every value; all failures are reported together, each naming its property.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, BeamSelfDistillerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.NumBeams < 1)
            builder.AddError($"must be at least 1 (was {options.NumBeams}).", nameof(options.NumBeams));
        if (options.NumReturnSequences < 1 || options.NumReturnSequences > Math.Max(1, options.NumBeams))
            builder.AddError($"must be between 1 and NumBeams ({options.NumBeams}) (was {options.NumReturnSequences}).", nameof(options.NumReturnSequences));
        if (options.NumBeams == 1 && options.NumReturnSequences != 1)
            builder.AddError("must be 1 with NumBeams = 1 (greedy decoding).", nameof(options.NumReturnSequences));
        if (options.SoftLabels < 0)
            builder.AddError($"must be at least 0 (0 keeps none; was {options.SoftLabels}).", nameof(options.SoftLabels));
        if (options.MaxNewTokens < 1)
            builder.AddError($"must be at least 1 (was {options.MaxNewTokens}).", nameof(options.MaxNewTokens));
        if (!double.IsFinite(options.LengthPenalty))
            builder.AddError($"must be finite (was {options.LengthPenalty}).", nameof(options.LengthPenalty));
        if (options.BatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.BatchSize}).", nameof(options.BatchSize));
        if (options.PartialResultsPath is { } path && string.IsNullOrWhiteSpace(path))
            builder.AddError("must be null or a file path.", nameof(options.PartialResultsPath));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are invalid (for callers outside dependency injection).</summary>
    internal static BeamSelfDistillerOptions Checked(BeamSelfDistillerOptions options)
    {
        var result = new BeamSelfDistillerOptionsValidator().Validate(null, options);
        return result.Failed ? throw new ArgumentException($"Invalid BeamSelfDistillerOptions: {result.FailureMessage}", nameof(options)) : options;
    }
}
