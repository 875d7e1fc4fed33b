namespace Soft.Curriculum;

/// <summary>
/// The same λ for every epoch: the one way to fix the mix of real and distilled targets. The pipeline trains SFT
/// with λ = 0 and the ablation "without self-adaptation" with λ = 1 through it; <c>UseFixedCurriculum(λ)</c>
/// (Soft.Curriculum) makes it the SOFT stage's curriculum.
/// </summary>
public sealed class FixedScheduler : ICurriculumScheduler
{
    /// <summary>A scheduler that always answers <paramref name="lambda"/>.</summary>
    /// <param name="lambda">The weight of the distilled loss, in [0, 1]: 0 is plain SFT, 1 distilled data only.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is not a number in [0, 1].</exception>
    public FixedScheduler(double lambda)
    {
        CurriculumChecks.ThrowIfNotLambda(lambda, nameof(lambda));
        Lambda = lambda;
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
