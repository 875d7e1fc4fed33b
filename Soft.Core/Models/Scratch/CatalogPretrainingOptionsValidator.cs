using Microsoft.Extensions.Options;

namespace Soft.Models.Scratch;

/// <summary>Checks <see cref="CatalogPretrainingOptions"/>, reporting every broken rule at once, each naming the property.</summary>
internal sealed class CatalogPretrainingOptionsValidator : IValidateOptions<CatalogPretrainingOptions>
{
    /// <summary>Validates <paramref name="options"/>.</summary>
    /// <param name="name">The options name; these options are validated whatever the name.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure that lists every broken rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, CatalogPretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (options.Steps < 1)
            errors.AddError($"must be at least 1, was {options.Steps}.", nameof(CatalogPretrainingOptions.Steps));
        if (options.BatchSize < 1)
            errors.AddError($"must be at least 1, was {options.BatchSize}.", nameof(CatalogPretrainingOptions.BatchSize));
        if (options.MaxSequenceLength < 3)
            errors.AddError($"must be at least 3 (BOS, one token, EOS), was {options.MaxSequenceLength}.", nameof(CatalogPretrainingOptions.MaxSequenceLength));
        if (!(options.LearningRate > 0) || double.IsInfinity(options.LearningRate))
            errors.AddError($"must be a finite number above 0, was {options.LearningRate}.", nameof(CatalogPretrainingOptions.LearningRate));
        if (!(options.MinLearningRateRatio is >= 0 and <= 1))
            errors.AddError($"must be in [0, 1], was {options.MinLearningRateRatio}.", nameof(CatalogPretrainingOptions.MinLearningRateRatio));
        if (options.WarmupSteps < 0 || options.WarmupSteps >= Math.Max(1, options.Steps))
            errors.AddError($"must be in [0, Steps) = [0, {options.Steps}), was {options.WarmupSteps}.", nameof(CatalogPretrainingOptions.WarmupSteps));
        if (!(options.WeightDecay >= 0) || double.IsInfinity(options.WeightDecay))
            errors.AddError($"must be a finite number at least 0, was {options.WeightDecay}.", nameof(CatalogPretrainingOptions.WeightDecay));
        if (!(options.AdamBeta1 is >= 0 and < 1))
            errors.AddError($"must be in [0, 1), was {options.AdamBeta1}.", nameof(CatalogPretrainingOptions.AdamBeta1));
        if (!(options.AdamBeta2 is >= 0 and < 1))
            errors.AddError($"must be in [0, 1), was {options.AdamBeta2}.", nameof(CatalogPretrainingOptions.AdamBeta2));
        if (!(options.MaxGradNorm >= 0) || double.IsInfinity(options.MaxGradNorm))
            errors.AddError($"must be a finite number at least 0 (0 turns clipping off), was {options.MaxGradNorm}.", nameof(CatalogPretrainingOptions.MaxGradNorm));
        if (options.EvaluationInterval < 0)
            errors.AddError($"must be at least 0 (0 never validates), was {options.EvaluationInterval}.", nameof(CatalogPretrainingOptions.EvaluationInterval));
        if (options.EarlyStoppingPatience < 1)
            errors.AddError($"must be at least 1, was {options.EarlyStoppingPatience}.", nameof(CatalogPretrainingOptions.EarlyStoppingPatience));
        return errors.Build();
    }

    /// <summary>Throws when <paramref name="options"/> break a rule.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message lists every broken rule.</exception>
    internal static void ThrowIfInvalid(CatalogPretrainingOptions options)
    {
        var result = new CatalogPretrainingOptionsValidator().Validate(null, options);
        if (result.Failed)
            throw new ArgumentException($"Invalid catalogue pre-training options: {result.FailureMessage}", nameof(options));
    }
}
