namespace Soft.Curriculum;

/// <summary>Options of <see cref="StepScheduler"/>.</summary>
public sealed class StepSchedulerOptions
{
    /// <summary>λ from epoch 1 until the first milestone, in [0, 1].</summary>
    /// <remarks>Default value is 1 (distilled targets only).</remarks>
    public double InitialLambda { get; set; } = 1;

    /// <summary>
    /// Milestones: epoch number (at least 1) → λ (in [0, 1]) used from that epoch on, until the next milestone.
    /// A milestone at epoch 1 replaces <see cref="InitialLambda"/>.
    /// </summary>
    /// <remarks>
    /// Default value is empty (λ stays at <see cref="InitialLambda"/>). Binds from configuration as an object
    /// whose keys are epoch numbers, for example <c>{ "3": 0.5, "5": 0 }</c>.
    /// </remarks>
    public IDictionary<int, double> Milestones { get; set; } = new Dictionary<int, double>();
}
