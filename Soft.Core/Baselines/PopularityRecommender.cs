namespace Soft.Baselines;

/// <summary>
/// The most-popular baseline: every user gets the same ranking, by how often each item occurs in the training
/// data (histories and targets). Ties are broken by item id so that ranks are deterministic.
/// </summary>
public sealed class PopularityRecommender
{
    private readonly long[] _counts;

    private PopularityRecommender(long[] counts) => _counts = counts;

    /// <summary>Counts item occurrences over <paramref name="training"/> for a catalogue of <paramref name="itemCount"/> items.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An item id is outside [0, itemCount).</exception>
    public static PopularityRecommender Fit(IEnumerable<NextItemExample> training, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCount);
        var counts = new long[itemCount];
        foreach (var example in training)
        {
            foreach (int item in example.History)
                counts[Check(item, itemCount)]++;
            counts[Check(example.Target, itemCount)]++;
        }
        return new PopularityRecommender(counts);
    }

    /// <summary>How often <paramref name="item"/> occurred in the training data.</summary>
    public long CountOf(int item) => _counts[item];

    /// <summary>
    /// 0-based rank of <paramref name="item"/> in the popularity ranking: the number of items that are more
    /// popular, or equally popular with a smaller id.
    /// </summary>
    public int RankOf(int item)
    {
        long count = _counts[Check(item, _counts.Length)];
        int rank = 0;
        for (int other = 0; other < _counts.Length; other++)
        {
            if (_counts[other] > count || (_counts[other] == count && other < item))
                rank++;
        }
        return rank;
    }

    /// <summary>The <paramref name="k"/> most popular item ids, most popular first.</summary>
    public int[] Top(int k) =>
        Enumerable.Range(0, _counts.Length).OrderByDescending(i => _counts[i]).ThenBy(i => i).Take(k).ToArray();

    private static int Check(int item, int itemCount) =>
        item >= 0 && item < itemCount ? item : throw new ArgumentOutOfRangeException(nameof(item), item, $"Item id must lie in [0, {itemCount}).");
}
