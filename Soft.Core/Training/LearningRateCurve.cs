namespace Soft.Training;

/// <summary>
/// The learning rate at an optimizer step, as a pure function of the step: a linear warm-up from 0 to
/// <see cref="Peak"/>, then <see cref="Shape"/> from the peak down to <see cref="Floor"/>. The fine-tuning stages
/// (<see cref="EpochRunner"/>) and the catalogue pre-trainer both take their rates from it.
/// </summary>
/// <remarks>
/// <para>
/// A function of the step count rather than a stateful TorchSharp scheduler, so that a resumed run only needs the
/// number of steps already taken (stored in <c>trainer_state.json</c>) to continue with exactly the same rates.
/// </para>
/// <para>
/// The two callers place the curve's ends differently, and each keeps its own rates bit for bit.
/// <see cref="EndsOnLastStep"/> false is Hugging Face's <c>LambdaLR</c> arithmetic (the fine-tuning stages): the first
/// step runs at 0, the peak is first reached the step after the warm-up, and the decay would reach the floor one step
/// after the plan. True is the pre-trainer's: the warm-up's own last step runs at the peak and the plan's last step at
/// the floor.
/// </para>
/// </remarks>
/// <param name="Shape">How the rate falls after the warm-up.</param>
/// <param name="Peak">The rate at the end of the warm-up.</param>
/// <param name="Floor">The rate at the end of the decay (0 for Hugging Face's schedules).</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="TotalSteps">Planned optimizer steps (all epochs of a stage).</param>
/// <param name="EndsOnLastStep">Where the warm-up and the decay end; see the remarks.</param>
internal readonly record struct LearningRateCurve(
    LearningRateSchedule Shape, double Peak, double Floor, int WarmupSteps, long TotalSteps, bool EndsOnLastStep)
{
    /// <summary>The rate of the optimizer step that follows <paramref name="stepsDone"/> earlier steps.</summary>
    /// <param name="stepsDone">Optimizer steps already taken (0 for the first step).</param>
    public double At(long stepsDone)
    {
        // 1. Warm-up: a straight line from 0 up to the peak. The pre-trainer multiplies before it divides; the
        //    orders round differently, and each caller keeps its own.
        if (stepsDone < WarmupSteps)
            return EndsOnLastStep ? Peak * (stepsDone + 1) / WarmupSteps : Peak * ((double)stepsDone / WarmupSteps);
        // 2. The share of the decay behind us; capped at 1 so that the rate stays at the floor past the plan instead of
        //    rising again, and 1 at once when the decay has no length.
        long decayEnd = EndsOnLastStep ? TotalSteps - 1 : TotalSteps;
        double progress = decayEnd <= WarmupSteps ? 1 : Math.Min(1, (double)(stepsDone - WarmupSteps) / (decayEnd - WarmupSteps));
        // 3. The shape, from 1 at the peak to 0 at the floor (never below: progress is at most 1).
        double shape = Shape switch
        {
            LearningRateSchedule.ConstantWithWarmup => 1,
            LearningRateSchedule.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            LearningRateSchedule.Linear => 1 - progress,
            _ => throw new ArgumentOutOfRangeException(nameof(Shape), Shape, "Unknown learning-rate schedule."),
        };
        // 4. Scaled between floor and peak.
        return Floor + (Peak - Floor) * shape;
    }
}
