using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Validates <see cref="StepSchedulerOptions"/>.</summary>
internal sealed class StepSchedulerOptionsValidator : IValidateOptions<StepSchedulerOptions>
{
    /// <summary>Checks that every λ is in [0, 1] and every milestone epoch is at least 1.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, StepSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        CurriculumChecks.CheckLambda(builder, options.InitialLambda, nameof(StepSchedulerOptions.InitialLambda));
        if (options.Milestones is null)
        {
            builder.AddError("must not be null; use an empty dictionary for no milestones.", nameof(StepSchedulerOptions.Milestones));
            return builder.Build();
        }

        foreach (var (epoch, lambda) in options.Milestones.OrderBy(m => m.Key))
        {
            string property = $"{nameof(StepSchedulerOptions.Milestones)}[{epoch}]";
            if (epoch < 1)
                builder.AddError($"the epoch must be at least 1 (was {epoch}).", property);
            CurriculumChecks.CheckLambda(builder, lambda, property);
        }

        return builder.Build();
    }
}
