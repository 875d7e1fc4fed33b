namespace Soft.Training;

/// <summary>The multiplier of the base learning rate at an optimizer step, as a pure function of the step.</summary>
/// <remarks>
/// A function of the step count rather than a stateful TorchSharp scheduler, so that a resumed run only needs the
/// number of steps already taken (stored in <c>trainer_state.json</c>) to continue with exactly the same rates.
/// </remarks>
internal static class LearningRateFactor
{
    /// <summary>
    /// The factor for the optimizer step that follows <paramref name="stepsDone"/> earlier steps. As in Hugging
    /// Face's <c>LambdaLR</c> schedules, the very first step (0 done) has factor 0 when there is a warm-up.
    /// </summary>
    /// <param name="schedule">The schedule's shape.</param>
    /// <param name="stepsDone">Optimizer steps already taken in this stage (0 for the first step).</param>
    /// <param name="warmupSteps">Steps of linear warm-up.</param>
    /// <param name="totalSteps">Planned optimizer steps of the stage (all epochs).</param>
    public static double At(LearningRateSchedule schedule, long stepsDone, int warmupSteps, long totalSteps)
    {
        // 1. Warm-up: a straight line from 0 to 1 over warmupSteps steps.
        if (stepsDone < warmupSteps)
            return (double)stepsDone / Math.Max(1, warmupSteps);
        // 2. After warm-up, the share of the decay phase already behind us; capped at 1 so that the cosine stays at 0
        //    past the plan instead of rising again.
        double progress = Math.Min(1, (double)(stepsDone - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return schedule switch
        {
            LearningRateSchedule.ConstantWithWarmup => 1,
            // 3. Cosine: 1 at the end of warm-up, 0 at the last planned step.
            LearningRateSchedule.Cosine => Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))),
            // 4. Linear: same end points, straight line.
            LearningRateSchedule.Linear => Math.Max(0, 1 - progress),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown learning-rate schedule."),
        };
    }
}
