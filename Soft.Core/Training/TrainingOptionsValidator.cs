using Microsoft.Extensions.Options;
using Soft.Models.Lora;

namespace Soft.Training;

/// <summary>
/// Checks <see cref="TrainingOptions"/> and reports every broken rule at once, each naming the property (LoRA rules as
/// <c>Lora.Rank</c> and so on) and the allowed range.
/// </summary>
internal sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    // How ValidateOptionsResultBuilder prefixes an error that names a property.
    private const string PropertyPrefix = "Property ";

    /// <summary>Validates <paramref name="options"/>.</summary>
    /// <param name="name">The options name; training options are validated whatever the name.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure that lists every broken rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        // Written as !(x > 0) so that NaN fails every range check.
        if (!(options.LearningRate > 0) || double.IsInfinity(options.LearningRate))
            errors.AddError($"must be a finite number above 0, was {options.LearningRate}.", nameof(TrainingOptions.LearningRate));
        if (options.WarmupSteps < 0)
            errors.AddError($"must be 0 or more, was {options.WarmupSteps}.", nameof(TrainingOptions.WarmupSteps));
        if (!Enum.IsDefined(options.Schedule))
            errors.AddError($"must be one of {string.Join(", ", Enum.GetNames<LearningRateSchedule>())}, was {(int)options.Schedule}.", nameof(TrainingOptions.Schedule));
        if (!(options.WeightDecay >= 0) || double.IsInfinity(options.WeightDecay))
            errors.AddError($"must be a finite number, 0 or more, was {options.WeightDecay}.", nameof(TrainingOptions.WeightDecay));
        if (!(options.AdamBeta1 >= 0 && options.AdamBeta1 < 1))
            errors.AddError($"must be in [0, 1), was {options.AdamBeta1}.", nameof(TrainingOptions.AdamBeta1));
        if (!(options.AdamBeta2 >= 0 && options.AdamBeta2 < 1))
            errors.AddError($"must be in [0, 1), was {options.AdamBeta2}.", nameof(TrainingOptions.AdamBeta2));
        if (!(options.AdamEpsilon > 0) || double.IsInfinity(options.AdamEpsilon))
            errors.AddError($"must be a finite number above 0, was {options.AdamEpsilon}.", nameof(TrainingOptions.AdamEpsilon));
        if (!(options.MaxGradNorm >= 0) || double.IsInfinity(options.MaxGradNorm))
            errors.AddError($"must be a finite number, 0 (no clipping) or more, was {options.MaxGradNorm}.", nameof(TrainingOptions.MaxGradNorm));
        if (options.MaxEpochs < 1)
            errors.AddError($"must be at least 1, was {options.MaxEpochs}.", nameof(TrainingOptions.MaxEpochs));
        if (options.MicroBatchSize < 1)
            errors.AddError($"must be at least 1, was {options.MicroBatchSize}.", nameof(TrainingOptions.MicroBatchSize));
        if (options.EffectiveBatchSize < 1)
            errors.AddError($"must be at least 1, was {options.EffectiveBatchSize}.", nameof(TrainingOptions.EffectiveBatchSize));
        else if (options.MicroBatchSize >= 1 && options.EffectiveBatchSize % options.MicroBatchSize != 0)
        {
            errors.AddError(
                $"must be a multiple of MicroBatchSize ({options.MicroBatchSize}), was {options.EffectiveBatchSize}; gradients are accumulated over whole micro-batches.",
                nameof(TrainingOptions.EffectiveBatchSize));
        }
        if (string.IsNullOrWhiteSpace(options.MetricName))
            errors.AddError("must name the validation metric that picks the best epoch (for example HR@10).", nameof(TrainingOptions.MetricName));
        if (options.EarlyStoppingPatience < 0)
            errors.AddError($"must be 0 (off) or more, was {options.EarlyStoppingPatience}.", nameof(TrainingOptions.EarlyStoppingPatience));
        if (options.MaxConsecutiveNonFiniteSteps < 1)
            errors.AddError($"must be at least 1, was {options.MaxConsecutiveNonFiniteSteps}.", nameof(TrainingOptions.MaxConsecutiveNonFiniteSteps));
        if (options.Lora is { } lora)
        {
            var result = new LoraOptionsValidator().Validate(name, lora);
            if (result.Failed)
            {
                // The LoRA validator names its own properties ("Property Rank: ..."); qualify them as Lora.Rank.
                foreach (string failure in result.Failures)
                {
                    errors.AddError(failure.StartsWith(PropertyPrefix, StringComparison.Ordinal)
                        ? $"{PropertyPrefix}{nameof(TrainingOptions.Lora)}.{failure[PropertyPrefix.Length..]}"
                        : $"{nameof(TrainingOptions.Lora)}: {failure}");
                }
            }
        }
        return errors.Build();
    }

    /// <summary>Throws when <paramref name="options"/> break a rule.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">A rule is broken; the message lists every broken rule.</exception>
    internal static void ThrowIfInvalid(TrainingOptions options)
    {
        var result = new TrainingOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(TrainingOptions), result.Failures);
    }
}
