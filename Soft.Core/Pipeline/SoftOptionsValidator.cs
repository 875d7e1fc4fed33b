using Microsoft.Extensions.Options;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>Checks <see cref="SoftOptions"/>, including both stages' training options; every failure names its option.</summary>
internal sealed class SoftOptionsValidator : IValidateOptions<SoftOptions>
{
    private static readonly TrainingOptionsValidator Training = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SoftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.Threads is <= 0)
            builder.AddError($"must be positive when set; got {options.Threads}", nameof(SoftOptions.Threads));
        if (options.ValidationSamples is <= 0)
            builder.AddError($"must be positive when set; got {options.ValidationSamples}", nameof(SoftOptions.ValidationSamples));
        if (options.MaxHistoryTitleTokens is <= 0)
            builder.AddError($"must be positive when set; got {options.MaxHistoryTitleTokens}", nameof(SoftOptions.MaxHistoryTitleTokens));
        if (options.DistanceSamples <= 0)
            builder.AddError($"must be positive; got {options.DistanceSamples}", nameof(SoftOptions.DistanceSamples));
        if (!Enum.IsDefined(options.PromptStyle))
            builder.AddError($"is not a known prompt style: {options.PromptStyle}", nameof(SoftOptions.PromptStyle));
        AddStage(builder, options.Sft, nameof(SoftOptions.Sft));
        AddStage(builder, options.Soft, nameof(SoftOptions.Soft));
        return builder.Build();
    }

    private static void AddStage(ValidateOptionsResultBuilder builder, TrainingOptions? stage, string property)
    {
        if (stage is null)
        {
            builder.AddError("must be set", property);
            return;
        }
        var result = Training.Validate(null, stage);
        if (result.Failed)
        {
            foreach (string failure in result.Failures ?? [])
                builder.AddError($"{property}: {failure}");
        }
    }
}
