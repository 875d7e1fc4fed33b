using Microsoft.Extensions.Options;
using Soft.Generation;

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
        DecodingOptionsValidator.AddErrors(builder, options.Decoding, "Decoding.");
        if (options.Decoding is { MaxNewTokens: null })
            builder.AddError("must be set: grounding has no catalogue bound on the answer's length.", "Decoding.MaxNewTokens");
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
