namespace Soft.Curriculum;

/// <summary>
/// λ = 0 for every epoch: train on the real targets only, which is plain supervised fine-tuning (the
/// "Tuning-Only" baseline, BIGRec).
/// </summary>
/// <remarks>It has nothing to configure, so it has no options class.</remarks>
public sealed class RealOnlyScheduler : ICurriculumScheduler
{
    /// <inheritdoc/>
    public bool RequiresDistance => false;

    /// <inheritdoc/>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return 0;
    }
}
