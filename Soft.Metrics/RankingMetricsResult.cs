using System.Collections.ObjectModel;
using System.Text.Json.Serialization;

namespace Soft.Metrics;

/// <summary>
/// Ranking metrics over a set of test samples: HR@K, NDCG@K, MRR and, when the top lists were given, catalogue
/// coverage@K.
/// </summary>
/// <remarks>
/// Serialises with System.Text.Json to one flat object, <c>{"Samples": 1000, "HR@1": …, "NDCG@1": …, "MRR": …,
/// "Coverage@1": …}</c>, and reads back from it. <see cref="Values"/> uses the same keys (see
/// <see cref="MetricNames"/>), so it can be recorded directly as an epoch's validation metrics.
/// </remarks>
[JsonConverter(typeof(RankingMetricsResultJsonConverter))]
public sealed class RankingMetricsResult
{
    /// <summary>Creates a result from metric values keyed as in <see cref="MetricNames"/>.</summary>
    /// <param name="sampleCount">The number of samples the metrics average over.</param>
    /// <param name="values">The metrics, in the order they should be reported.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> repeats a name.</exception>
    public RankingMetricsResult(int sampleCount, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        SampleCount = sampleCount;
        var ordered = new OrderedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
            ordered.Add(key, value);
        Values = new ReadOnlyDictionary<string, double>(ordered);
    }

    /// <summary>The number of samples the metrics average over.</summary>
    public int SampleCount { get; }

    /// <summary>Every metric by name (<c>"HR@10"</c>, <c>"NDCG@10"</c>, <c>"MRR"</c>, <c>"Coverage@10"</c>), in report order.</summary>
    public IReadOnlyDictionary<string, double> Values { get; }

    /// <summary>The mean reciprocal rank over the full ranking; 0 for samples whose true item was not ranked.</summary>
    /// <exception cref="KeyNotFoundException">The result holds no MRR.</exception>
    public double Mrr => Get(MetricNames.Mrr);

    /// <summary>The hit rate at <paramref name="k"/>: the fraction of samples whose true item ranks in the top <paramref name="k"/>.</summary>
    /// <param name="k">A cutoff that was computed.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="KeyNotFoundException">The cutoff was not computed.</exception>
    public double HitRate(int k) => Get(MetricNames.HitRate(k));

    /// <summary>NDCG at <paramref name="k"/> with one relevant item: the mean of 1/log2(rank + 2) over hits, 0 for misses.</summary>
    /// <param name="k">A cutoff that was computed.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="KeyNotFoundException">The cutoff was not computed.</exception>
    public double Ndcg(int k) => Get(MetricNames.Ndcg(k));

    /// <summary>Catalogue coverage at <paramref name="k"/>: the fraction of catalogue items in at least one top-<paramref name="k"/> list.</summary>
    /// <param name="k">A cutoff that was computed.</param>
    /// <returns>A value in [0, 1], or null when coverage was not computed.</returns>
    public double? Coverage(int k) => Values.TryGetValue(MetricNames.Coverage(k), out double v) ? v : null;

    private double Get(string name) =>
        Values.TryGetValue(name, out double v) ? v : throw new KeyNotFoundException($"The result holds no metric named '{name}'.");
}
