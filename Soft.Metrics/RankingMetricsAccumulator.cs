namespace Soft.Metrics;

/// <summary>
/// Collects, sample by sample, the rank of the true item (and optionally the top list) and computes
/// HR@K, NDCG@K, MRR and coverage@K, without keeping the rankings.
/// </summary>
/// <remarks>
/// A rank is 0-based; null means "not ranked" (the true item is absent from the ranking, for example not among
/// the beams of a constrained decoder) and counts as a miss at every cutoff and 0 for MRR. Sums are taken in the
/// order samples are added, so equal inputs give bit-identical results. Not thread-safe: use one accumulator per
/// thread, or add under a lock.
/// </remarks>
public sealed class RankingMetricsAccumulator
{
    private readonly int[] cutoffs;
    private readonly long[] hits;
    private readonly double[] ndcgSums;
    private readonly int? catalogueSize;
    // For coverage: the best position at which each item appeared in any top list; int.MaxValue if never.
    private readonly int[]? bestPosition;
    private double reciprocalRankSum;

    /// <summary>Creates an accumulator for HR, NDCG and MRR only.</summary>
    /// <param name="cutoffs">The cutoffs K; null gives <see cref="RankingMetrics.DefaultCutoffs"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cutoff is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="cutoffs"/> is empty.</exception>
    public RankingMetricsAccumulator(IEnumerable<int>? cutoffs = null)
    {
        this.cutoffs = NormaliseCutoffs(cutoffs ?? RankingMetrics.DefaultCutoffs);
        hits = new long[this.cutoffs.Length];
        ndcgSums = new double[this.cutoffs.Length];
    }

    /// <summary>Creates an accumulator that also computes catalogue coverage; every sample must then bring its top list.</summary>
    /// <param name="catalogueSize">The number of items in the catalogue; item ids are 0 … catalogueSize − 1.</param>
    /// <param name="cutoffs">The cutoffs K; null gives <see cref="RankingMetrics.DefaultCutoffs"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="catalogueSize"/> or a cutoff is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="cutoffs"/> is empty.</exception>
    public RankingMetricsAccumulator(int catalogueSize, IEnumerable<int>? cutoffs = null)
        : this(cutoffs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(catalogueSize, 1);
        this.catalogueSize = catalogueSize;
        bestPosition = new int[catalogueSize];
        Array.Fill(bestPosition, int.MaxValue);
    }

    /// <summary>The cutoffs K, ascending and distinct.</summary>
    public IReadOnlyList<int> Cutoffs => cutoffs;

    /// <summary>The number of samples added so far.</summary>
    public int SampleCount { get; private set; }

    /// <summary>Whether this accumulator computes coverage (it was given a catalogue size).</summary>
    public bool TracksCoverage => bestPosition is not null;

    /// <summary>Adds one sample by the rank of its true item.</summary>
    /// <param name="rank">The 0-based rank of the true item, or null when it was not ranked.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is negative, or not below the catalogue size.</exception>
    /// <exception cref="InvalidOperationException">The accumulator computes coverage, which needs the top list.</exception>
    public void Add(int? rank)
    {
        if (TracksCoverage)
            throw new InvalidOperationException("This accumulator computes coverage: pass each sample's top list to Add(rank, topItems).");
        AddRank(rank);
    }

    /// <summary>Adds one sample by the rank of its true item and its ranked top list.</summary>
    /// <param name="rank">The 0-based rank of the true item, or null when it was not ranked.</param>
    /// <param name="topItems">
    /// The sample's best items, best first, at least as many as the largest cutoff (or the whole catalogue when
    /// it is smaller); a shorter list, as a beam decoder returns, counts what it holds.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is out of range, or an item id is outside the catalogue.</exception>
    /// <exception cref="InvalidOperationException">The accumulator was created without a catalogue size.</exception>
    public void Add(int? rank, ReadOnlySpan<int> topItems)
    {
        if (bestPosition is null)
            throw new InvalidOperationException("Coverage needs the catalogue size: create the accumulator with RankingMetricsAccumulator(catalogueSize, cutoffs).");
        foreach (int item in topItems)
        {
            if ((uint)item >= (uint)bestPosition.Length)
                throw new ArgumentOutOfRangeException(nameof(topItems), item, $"Item ids must be in [0, {bestPosition.Length}).");
        }

        AddRank(rank);
        int length = Math.Min(topItems.Length, cutoffs[^1]);
        for (int position = 0; position < length; position++)
        {
            ref int best = ref bestPosition[topItems[position]];
            best = Math.Min(best, position);
        }
    }

    /// <summary>Computes the metrics over the samples added so far.</summary>
    /// <returns>HR@K and NDCG@K for every cutoff, MRR, and coverage@K when tracked; all 0 when no sample was added.</returns>
    public RankingMetricsResult Result()
    {
        var values = new List<KeyValuePair<string, double>>();
        double n = SampleCount;
        for (int c = 0; c < cutoffs.Length; c++)
            values.Add(KeyValuePair.Create(MetricNames.HitRate(cutoffs[c]), n == 0 ? 0 : hits[c] / n));
        for (int c = 0; c < cutoffs.Length; c++)
            values.Add(KeyValuePair.Create(MetricNames.Ndcg(cutoffs[c]), n == 0 ? 0 : ndcgSums[c] / n));
        values.Add(KeyValuePair.Create(MetricNames.Mrr, n == 0 ? 0 : reciprocalRankSum / n));
        if (bestPosition is not null)
        {
            for (int c = 0; c < cutoffs.Length; c++)
            {
                int k = cutoffs[c];
                int covered = 0;
                foreach (int best in bestPosition)
                {
                    if (best < k)
                        covered++;
                }

                values.Add(KeyValuePair.Create(MetricNames.Coverage(k), (double)covered / bestPosition.Length));
            }
        }

        return new RankingMetricsResult(SampleCount, values);
    }

    private void AddRank(int? rank)
    {
        if (rank is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(rank));
            if (catalogueSize is { } size)
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(r, size, nameof(rank));
            double gain = 1 / Math.Log2(r + 2);
            for (int c = 0; c < cutoffs.Length; c++)
            {
                if (r < cutoffs[c])
                {
                    hits[c]++;
                    ndcgSums[c] += gain;
                }
            }

            reciprocalRankSum += 1.0 / (r + 1);
        }

        SampleCount++;
    }

    private static int[] NormaliseCutoffs(IEnumerable<int> cutoffs)
    {
        var distinct = cutoffs.Distinct().Order().ToArray();
        if (distinct.Length == 0)
            throw new ArgumentException("At least one cutoff is needed.", nameof(cutoffs));
        ArgumentOutOfRangeException.ThrowIfLessThan(distinct[0], 1, nameof(cutoffs));
        return distinct;
    }
}
