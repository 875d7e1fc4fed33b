using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>
/// λ is piecewise constant: <see cref="StepSchedulerOptions.InitialLambda"/> from epoch 1, then the value of the
/// latest milestone whose epoch has been reached.
/// </summary>
public sealed class StepScheduler : ICurriculumScheduler
{
    // Milestone epochs ascending, with their λ at the same index; binary search finds the latest one reached.
    private readonly int[] epochs;
    private readonly double[] lambdas;

    /// <summary>Creates the scheduler from validated options.</summary>
    /// <param name="options">The options; their values are copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the property.</exception>
    public StepScheduler(IOptions<StepSchedulerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = SchedulerOptions.Validated(options, new StepSchedulerOptionsValidator());
        InitialLambda = value.InitialLambda;
        var sorted = value.Milestones.OrderBy(m => m.Key).ToArray();
        epochs = sorted.Select(m => m.Key).ToArray();
        lambdas = sorted.Select(m => m.Value).ToArray();
    }

    /// <summary>λ before the first milestone.</summary>
    public double InitialLambda { get; }

    /// <summary>The milestones, epoch → λ, in epoch order.</summary>
    public IReadOnlyList<KeyValuePair<int, double>> Milestones =>
        epochs.Select((e, i) => KeyValuePair.Create(e, lambdas[i])).ToArray();

    /// <inheritdoc/>
    public bool RequiresDistance => false;

    /// <inheritdoc/>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int index = Array.BinarySearch(epochs, history.NextEpoch);
        if (index < 0)
            index = ~index - 1; // the latest milestone before the epoch, or -1 when none
        return index < 0 ? InitialLambda : lambdas[index];
    }
}
