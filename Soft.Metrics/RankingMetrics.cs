namespace Soft.Metrics;

/// <summary>One-call ranking metrics over a list of true-item ranks.</summary>
public static class RankingMetrics
{
    /// <summary>The reference's cutoffs: K ∈ {1, 5, 10, 20, 50}.</summary>
    public static IReadOnlyList<int> DefaultCutoffs { get; } = [1, 5, 10, 20, 50];

    /// <summary>Computes HR@K, NDCG@K and MRR from the rank of each sample's true item.</summary>
    /// <param name="ranks">Per sample, the 0-based rank of the true item, or null when it was not ranked.</param>
    /// <param name="cutoffs">The cutoffs K; null gives <see cref="DefaultCutoffs"/>.</param>
    /// <returns>The metrics averaged over all samples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranks"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rank is negative or a cutoff is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="cutoffs"/> is empty.</exception>
    public static RankingMetricsResult Compute(IEnumerable<int?> ranks, IEnumerable<int>? cutoffs = null)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var accumulator = new RankingMetricsAccumulator(cutoffs);
        foreach (int? rank in ranks)
            accumulator.Add(rank);
        return accumulator.Result();
    }
}
