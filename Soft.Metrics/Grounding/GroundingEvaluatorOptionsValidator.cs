using Microsoft.Extensions.Options;
using Soft.Models;

namespace Soft.Metrics.Grounding;

/// <summary>Validates <see cref="GroundingEvaluatorOptions"/>.</summary>
internal sealed class GroundingEvaluatorOptionsValidator : IValidateOptions<GroundingEvaluatorOptions>
{
    /// <summary>Checks every value; all failures are reported together, each naming its property.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, GroundingEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        GenerationOptions.AddErrors(builder, options.Decoding, "Decoding.");
        if (options.BatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.BatchSize}).", nameof(options.BatchSize));
        if (options.EmbeddingBatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.EmbeddingBatchSize}).", nameof(options.EmbeddingBatchSize));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are invalid (for callers outside dependency injection).</summary>
    internal static GroundingEvaluatorOptions Checked(GroundingEvaluatorOptions options)
    {
        var result = new GroundingEvaluatorOptionsValidator().Validate(null, options);
        return result.Failed ? throw new ArgumentException($"Invalid GroundingEvaluatorOptions: {result.FailureMessage}", nameof(options)) : options;
    }
}
