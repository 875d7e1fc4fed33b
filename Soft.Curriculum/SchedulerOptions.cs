using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Validation shared by the scheduler constructors.</summary>
internal static class SchedulerOptions
{
    /// <summary>
    /// Returns the options' value after running <paramref name="validator"/>, so that a scheduler built by hand
    /// fails the same way as one resolved from DI (where the registered validator already ran).
    /// </summary>
    public static TOptions Validated<TOptions>(IOptions<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        var value = options.Value ?? throw new ArgumentException("The options value is null.", nameof(options));
        var result = validator.Validate(Options.DefaultName, value);
        if (result.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        return value;
    }
}
