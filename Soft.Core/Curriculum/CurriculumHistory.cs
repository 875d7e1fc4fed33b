namespace Soft.Curriculum;

/// <summary>
/// Everything a <see cref="ICurriculumScheduler"/> may base λ on: the distance d_0 of the untrained model and
/// the statistics of every finished epoch, in order.
/// </summary>
/// <remarks>
/// Immutable: <see cref="Append"/> returns a new history, so a scheduler can never alter what it was shown and
/// the trainer can hand the same history to several observers.
/// </remarks>
public sealed class CurriculumHistory
{
    private readonly EpochStatistics[] epochs;

    /// <summary>Creates a history with no finished epoch yet: the state before epoch 1.</summary>
    /// <param name="initialDistance">
    /// d_0, the mean grounded distance of the untrained model measured before epoch 1, or null when not measured.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialDistance"/> is negative, NaN or infinite.</exception>
    public CurriculumHistory(double? initialDistance)
        : this(initialDistance, [])
    {
    }

    /// <summary>Creates a history from d_0 and the statistics of the epochs finished so far.</summary>
    /// <param name="initialDistance">d_0, or null when not measured.</param>
    /// <param name="epochs">The finished epochs, numbered 1, 2, … in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="epochs"/> is null or holds null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialDistance"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The epochs are not numbered 1, 2, … in order.</exception>
    public CurriculumHistory(double? initialDistance, IEnumerable<EpochStatistics> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (initialDistance is { } d0)
            CurriculumChecks.ThrowIfNotDistance(d0, nameof(initialDistance));
        var list = epochs.ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
                throw new ArgumentNullException(nameof(epochs), $"Epoch statistics at index {i} is null.");
            if (list[i].Epoch != i + 1)
                throw new ArgumentException($"Epoch statistics at index {i} is for epoch {list[i].Epoch}; expected epoch {i + 1}.", nameof(epochs));
        }

        InitialDistance = initialDistance;
        this.epochs = list;
    }

    /// <summary>d_0: the mean grounded distance of the untrained model, measured before epoch 1; null when not measured.</summary>
    public double? InitialDistance { get; }

    /// <summary>The finished epochs; element i holds epoch i + 1.</summary>
    public IReadOnlyList<EpochStatistics> Epochs => epochs;

    /// <summary>The 1-based number of the epoch whose λ is asked for next.</summary>
    public int NextEpoch => epochs.Length + 1;

    /// <summary>
    /// d_k, the mean grounded distance after epoch <paramref name="epoch"/>; epoch 0 gives d_0. Null when that
    /// distance was not measured.
    /// </summary>
    /// <param name="epoch">0 for the untrained model, or the number of a finished epoch.</param>
    /// <returns>The distance, or null when it was not measured.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative or not yet finished.</exception>
    public double? DistanceAfter(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epoch, epochs.Length);
        return epoch == 0 ? InitialDistance : epochs[epoch - 1].Distance;
    }

    /// <summary>Returns a new history that adds one finished epoch.</summary>
    /// <param name="statistics">The statistics of epoch <see cref="NextEpoch"/>.</param>
    /// <returns>A new history; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> is not for epoch <see cref="NextEpoch"/>.</exception>
    public CurriculumHistory Append(EpochStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Epoch != NextEpoch)
            throw new ArgumentException($"Statistics are for epoch {statistics.Epoch}; the history expects epoch {NextEpoch}.", nameof(statistics));
        return new CurriculumHistory(InitialDistance, epochs.Append(statistics));
    }
}
