using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Validates <see cref="LinearSchedulerOptions"/>.</summary>
internal sealed class LinearSchedulerOptionsValidator : IValidateOptions<LinearSchedulerOptions>
{
    /// <summary>Checks that both λ values are in [0, 1] and the duration is at least one epoch.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, LinearSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        CurriculumChecks.CheckLambda(builder, options.StartLambda, nameof(LinearSchedulerOptions.StartLambda));
        CurriculumChecks.CheckLambda(builder, options.EndLambda, nameof(LinearSchedulerOptions.EndLambda));
        if (options.DurationEpochs < 1)
            builder.AddError($"must be at least 1 (was {options.DurationEpochs}).", nameof(LinearSchedulerOptions.DurationEpochs));
        return builder.Build();
    }
}
