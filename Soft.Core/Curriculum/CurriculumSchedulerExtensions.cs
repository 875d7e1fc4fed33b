namespace Soft.Curriculum;

/// <summary>Helpers for callers of <see cref="ICurriculumScheduler"/>.</summary>
internal static class CurriculumSchedulerExtensions
{
    /// <summary>
    /// Calls <see cref="ICurriculumScheduler.NextLambda"/> and enforces its contract, so a faulty user scheduler
    /// fails loudly at the epoch it misbehaves instead of silently training with a meaningless weight.
    /// </summary>
    /// <param name="scheduler">The scheduler to ask.</param>
    /// <param name="history">d_0 and the statistics of every finished epoch.</param>
    /// <returns>λ for the next epoch, in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> or <paramref name="history"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The scheduler returned NaN or a value outside [0, 1], or it needs distances the history lacks.
    /// </exception>
    public static double NextLambdaChecked(this ICurriculumScheduler scheduler, CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(history);
        if (scheduler.RequiresDistance)
        {
            for (int k = 0; k < history.NextEpoch; k++)
            {
                if (history.DistanceAfter(k) is null)
                    throw new InvalidOperationException(
                        $"{scheduler.GetType().Name} requires grounded distances, but d_{k} was not measured.");
            }
        }

        double lambda = scheduler.NextLambda(history);
        if (CurriculumChecks.LambdaProblem(lambda) is { } problem)
            throw new InvalidOperationException($"{scheduler.GetType().Name}'s λ for epoch {history.NextEpoch} {problem}");
        return lambda;
    }
}
