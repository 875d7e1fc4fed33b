namespace Soft.Curriculum;

/// <summary>
/// λ = 1 for every epoch: train on the distilled targets only. This is the ablation "SOFT without
/// self-adaptation" of the reference.
/// </summary>
/// <remarks>It has nothing to configure, so it has no options class.</remarks>
public sealed class DistilledOnlyScheduler : ICurriculumScheduler
{
    /// <inheritdoc/>
    public bool RequiresDistance => false;

    /// <inheritdoc/>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return 1;
    }
}
