using System.Globalization;

namespace Soft.Metrics;

/// <summary>
/// The names ranking metrics are reported under (<c>"HR@10"</c>, <c>"NDCG@10"</c>, <c>"MRR"</c>,
/// <c>"Coverage@10"</c>): the keys of <see cref="RankingMetricsResult.Values"/>, of its JSON form and of the
/// validation metrics a trainer records per epoch.
/// </summary>
public static class MetricNames
{
    /// <summary>The name of the mean reciprocal rank over the full ranking.</summary>
    public const string Mrr = "MRR";

    /// <summary>The name of the hit rate at cutoff <paramref name="k"/>, for example <c>"HR@10"</c>.</summary>
    /// <param name="k">The cutoff, at least 1.</param>
    /// <returns>The metric's name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static string HitRate(int k) => Format("HR", k);

    /// <summary>The name of the normalised discounted cumulative gain at cutoff <paramref name="k"/>, for example <c>"NDCG@10"</c>.</summary>
    /// <param name="k">The cutoff, at least 1.</param>
    /// <returns>The metric's name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static string Ndcg(int k) => Format("NDCG", k);

    /// <summary>The name of the catalogue coverage at cutoff <paramref name="k"/>, for example <c>"Coverage@10"</c>.</summary>
    /// <param name="k">The cutoff, at least 1.</param>
    /// <returns>The metric's name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static string Coverage(int k) => Format("Coverage", k);

    private static string Format(string metric, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{metric}@{k}");
    }
}
