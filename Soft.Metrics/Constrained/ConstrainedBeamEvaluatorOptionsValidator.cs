using Microsoft.Extensions.Options;
using Soft.Models;

namespace Soft.Metrics.Constrained;

/// <summary>Validates <see cref="ConstrainedBeamEvaluatorOptions"/>.</summary>
internal sealed class ConstrainedBeamEvaluatorOptionsValidator : IValidateOptions<ConstrainedBeamEvaluatorOptions>
{
    /// <summary>Checks every value; all failures are reported together, each naming its property.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, ConstrainedBeamEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        GenerationOptions.AddErrors(builder, options.Decoding, "Decoding.");
        if (options.Decoding is { NumBeams: < 2 })
            builder.AddError($"must be at least 2, beam search returns NumBeams titles (was {options.Decoding.NumBeams}).", "Decoding.NumBeams");
        if (options.BatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.BatchSize}).", nameof(options.BatchSize));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are invalid (for callers outside dependency injection).</summary>
    internal static ConstrainedBeamEvaluatorOptions Checked(ConstrainedBeamEvaluatorOptions options)
    {
        var result = new ConstrainedBeamEvaluatorOptionsValidator().Validate(null, options);
        return result.Failed ? throw new ArgumentException($"Invalid ConstrainedBeamEvaluatorOptions: {result.FailureMessage}", nameof(options)) : options;
    }
}
