using Soft.Curriculum;

namespace Soft.Pipeline;

/// <summary>
/// The pipeline's own fixed-λ curriculum for the stages whose λ is part of their definition: SFT (λ = 0) and the
/// ablation "without self-adaptation" (λ = 1). The configurable schedulers live in Soft.Curriculum.
/// </summary>
internal sealed class ConstantLambda(double lambda) : ICurriculumScheduler
{
    public bool RequiresDistance => false;

    public double NextLambda(CurriculumHistory history) => lambda;
}
