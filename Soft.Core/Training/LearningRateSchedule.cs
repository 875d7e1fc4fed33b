namespace Soft.Training;

/// <summary>How the learning rate moves over the optimizer steps of a stage, after the linear warm-up.</summary>
/// <remarks>
/// The shapes and their step arithmetic are those of Hugging Face <c>transformers</c>
/// (<c>get_constant_schedule_with_warmup</c>, <c>get_cosine_schedule_with_warmup</c>,
/// <c>get_linear_schedule_with_warmup</c>), so a run here and a run of the reference code see the same rates.
/// </remarks>
public enum LearningRateSchedule
{
    /// <summary>Linear warm-up from 0, then the base rate for good: the SOFT reference's schedule.</summary>
    ConstantWithWarmup,

    /// <summary>Linear warm-up, then half a cosine from the base rate down to 0 at the last planned step.</summary>
    Cosine,

    /// <summary>Linear warm-up, then a straight line from the base rate down to 0 at the last planned step.</summary>
    Linear,
}
