using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Validates <see cref="AdaptiveDistanceSchedulerOptions"/>.</summary>
internal sealed class AdaptiveDistanceSchedulerOptionsValidator : IValidateOptions<AdaptiveDistanceSchedulerOptions>
{
    /// <summary>Checks that <see cref="AdaptiveDistanceSchedulerOptions.Alpha"/> is finite and positive.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, AdaptiveDistanceSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (!double.IsFinite(options.Alpha) || options.Alpha <= 0)
        {
            builder.AddError(
                $"must be a finite number greater than 0 (was {options.Alpha}); use FixedScheduler(1) (UseFixedCurriculum(1)) for a constant λ = 1.",
                nameof(AdaptiveDistanceSchedulerOptions.Alpha));
        }

        return builder.Build();
    }
}
