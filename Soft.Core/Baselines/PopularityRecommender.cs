using Soft.Data;
using Soft.Evaluation;
using Soft.Recommenders;

namespace Soft.Baselines;

/// <summary>
/// The most-popular baseline: every user gets the same ranking, by how often each item occurs in the training
/// data (histories and targets). Ties are broken by item id so that ranks are deterministic. As an
/// <see cref="IRecommender"/> it answers by the same rules as the language model (the history's items left out, the
/// candidate filter applied), scoring each item by its count.
/// </summary>
public sealed class PopularityRecommender : IRecommender
{
    private readonly long[] _counts;
    private readonly double[] _scores;
    private readonly CatalogQuery _query;

    private PopularityRecommender(long[] counts, CatalogQuery query)
    {
        _counts = counts;
        _scores = Array.ConvertAll(counts, c => (double)c);
        _query = query;
    }

    /// <summary>
    /// Counts item occurrences over <paramref name="training"/> for a catalogue of <paramref name="itemCount"/> items;
    /// as an <see cref="IRecommender"/>, item i is then named "i".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An item id is outside [0, itemCount).</exception>
    public static PopularityRecommender Fit(IEnumerable<NextItemExample> training, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCount);
        return Fit(training, IndexCatalog.Of(itemCount));
    }

    /// <summary>
    /// Counts item occurrences over <paramref name="training"/> (catalogue indices of <paramref name="catalog"/>); as an
    /// <see cref="IRecommender"/> it names items by the catalogue's ids and titles and follows <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> or <paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An item index is outside the catalogue.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="UnknownItemsException">A candidate filter names ids the catalogue lacks.</exception>
    public static PopularityRecommender Fit(IEnumerable<NextItemExample> training, ItemCatalog catalog, RecommenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(catalog);
        int itemCount = catalog.Count;
        var counts = new long[itemCount];
        foreach (var example in training)
        {
            foreach (int item in example.History)
                counts[Check(item, itemCount)]++;
            counts[Check(example.Target, itemCount)]++;
        }
        return new PopularityRecommender(counts, new CatalogQuery(catalog, options ?? new RecommenderOptions(), counts));
    }

    /// <inheritdoc/>
    public RecommendationList Recommend(IReadOnlyList<string> history, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        _query.CheckK(k);
        return Answer(_query.Resolve(history), k);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RecommendationList> RecommendMany(IReadOnlyList<IReadOnlyList<string>> histories, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        _query.CheckK(k);
        var resolved = _query.ResolveAll(histories);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. resolved.Select(h => Answer(h, k))];
    }

    private RecommendationList Answer(ResolvedHistory history, int k) =>
        history.Items.Length == 0 ? _query.MostPopular(history, k) : _query.Rank(_scores, history, k);

    /// <summary>How often <paramref name="item"/> occurred in the training data.</summary>
    public long CountOf(int item) => _counts[item];

    /// <summary>
    /// 0-based rank of <paramref name="item"/> in the popularity ranking: the number of items that are more
    /// popular, or equally popular with a smaller id.
    /// </summary>
    public int RankOf(int item)
    {
        Check(item, _counts.Length);
        return CatalogRanking.RankOf<long>(_counts, item, RankingDirection.HigherIsBetter);
    }

    /// <summary>The <paramref name="k"/> most popular item ids, most popular first.</summary>
    public int[] Top(int k) =>
        Enumerable.Range(0, _counts.Length).OrderByDescending(i => _counts[i]).ThenBy(i => i).Take(k).ToArray();

    private static int Check(int item, int itemCount) =>
        item >= 0 && item < itemCount ? item : throw new ArgumentOutOfRangeException(nameof(item), item, $"Item id must lie in [0, {itemCount}).");
}
