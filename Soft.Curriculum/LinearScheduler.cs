using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>
/// λ moves in equal steps from a start value to an end value over a number of epochs, then stays:
/// λ_e = start + (end − start)·min(e − 1, N)/N.
/// </summary>
/// <remarks>
/// The same convention as PyTorch's <c>LinearLR</c> with the epoch counted from 0: epoch 1 uses the start value
/// and epoch N + 1 is the first to use the end value.
/// </remarks>
public sealed class LinearScheduler : ICurriculumScheduler
{
    /// <summary>Creates the scheduler from validated options.</summary>
    /// <param name="options">The options; their values are copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the property.</exception>
    public LinearScheduler(IOptions<LinearSchedulerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = SchedulerOptions.Validated(options, new LinearSchedulerOptionsValidator());
        StartLambda = value.StartLambda;
        EndLambda = value.EndLambda;
        DurationEpochs = value.DurationEpochs;
    }

    /// <summary>λ of epoch 1.</summary>
    public double StartLambda { get; }

    /// <summary>λ from epoch <see cref="DurationEpochs"/> + 1 on.</summary>
    public double EndLambda { get; }

    /// <summary>Number of epochs over which λ moves.</summary>
    public int DurationEpochs { get; }

    /// <inheritdoc/>
    public bool RequiresDistance => false;

    /// <inheritdoc/>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int steps = Math.Min(history.NextEpoch - 1, DurationEpochs);
        if (steps == DurationEpochs)
            return EndLambda; // exact, whatever rounding the interpolation would give
        double lambda = StartLambda + ((EndLambda - StartLambda) * steps / DurationEpochs);
        return Math.Clamp(lambda, 0, 1);
    }
}
