using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Validates <see cref="FixedSchedulerOptions"/>.</summary>
internal sealed class FixedSchedulerOptionsValidator : IValidateOptions<FixedSchedulerOptions>
{
    /// <summary>Checks that <see cref="FixedSchedulerOptions.Lambda"/> is in [0, 1].</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, FixedSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        CurriculumChecks.CheckLambda(builder, options.Lambda, nameof(FixedSchedulerOptions.Lambda));
        return builder.Build();
    }
}
