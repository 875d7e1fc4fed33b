using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>The same λ for every epoch: a fixed mix of real and distilled targets.</summary>
public sealed class FixedScheduler : ICurriculumScheduler
{
    /// <summary>Creates the scheduler from validated options.</summary>
    /// <param name="options">The options; their values are copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the property.</exception>
    public FixedScheduler(IOptions<FixedSchedulerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Lambda = SchedulerOptions.Validated(options, new FixedSchedulerOptionsValidator()).Lambda;
    }

    /// <summary>The constant λ.</summary>
    public double Lambda { get; }

    /// <inheritdoc/>
    public bool RequiresDistance => false;

    /// <inheritdoc/>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Lambda;
    }
}
