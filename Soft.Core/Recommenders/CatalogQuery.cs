using System.Globalization;
using Soft.Data;
using Soft.Evaluation;

namespace Soft.Recommenders;

/// <summary>
/// The rules every <see cref="IRecommender"/> shares, in one place so that the language model and the baselines
/// answer the same question: history entries to catalogue indices (id first, else exact title), unknown entries and
/// empty histories per <see cref="RecommenderOptions"/>, the candidate filter, and the order of an answer (score
/// descending; ties by the lower catalogue index, the exact evaluator's rule, so ranks are a total order; NaN last,
/// so a broken score never ranks).
/// </summary>
internal sealed class CatalogQuery
{
    // Unknown entries named in a message; a history of thousands of typos must not make a message of megabytes.
    private const int NamedInMessage = 10;

    private readonly bool[] _allowed;
    private readonly double[]? _popularity;

    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="UnknownItemsException">A candidate filter names ids the catalogue lacks.</exception>
    /// <exception cref="InvalidOperationException">The popularity fallback is asked for but there are no counts.</exception>
    public CatalogQuery(ItemCatalog catalog, RecommenderOptions options, IReadOnlyList<long>? popularity)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        RecommenderOptionsValidator.ThrowIfInvalid(options);
        Catalog = catalog;
        Options = options.Clone();
        if (popularity is not null && popularity.Count != catalog.Count)
            throw new ArgumentException($"The popularity counts cover {popularity.Count} items, the catalogue {catalog.Count}.", nameof(popularity));
        if (Options.EmptyHistory == EmptyHistoryHandling.MostPopular && popularity is null)
            throw new InvalidOperationException("RecommenderOptions.EmptyHistory is MostPopular, but this recommender has no training counts to rank by popularity.");
        _popularity = popularity?.Select(c => (double)c).ToArray();
        _allowed = new bool[catalog.Count];
        Array.Fill(_allowed, Options.OnlyItems is null);
        foreach (int item in Indices(Options.OnlyItems, nameof(RecommenderOptions.OnlyItems)))
            _allowed[item] = true;
        foreach (int item in Indices(Options.ExcludedItems, nameof(RecommenderOptions.ExcludedItems)))
            _allowed[item] = false;
        AllowedCount = _allowed.Count(a => a);
    }

    public ItemCatalog Catalog { get; }

    public RecommenderOptions Options { get; }

    /// <summary>How many items the candidate filter leaves.</summary>
    public int AllowedCount { get; }

    /// <summary>Whether the candidate filter lets <paramref name="item"/> be recommended.</summary>
    public bool IsAllowed(int item) => _allowed[item];

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not in 1 … the catalogue's size.</exception>
    public void CheckK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (k > Catalog.Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must not exceed the catalogue's {Catalog.Count} items.");
    }

    /// <summary>Every history of <paramref name="histories"/>, resolved before any model work so a bad one fails the call early.</summary>
    public ResolvedHistory[] ResolveAll(IReadOnlyList<IReadOnlyList<string>> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var resolved = new ResolvedHistory[histories.Count];
        for (int i = 0; i < histories.Count; i++)
            resolved[i] = Resolve(histories[i], string.Create(CultureInfo.InvariantCulture, $"histories[{i}]"));
        return resolved;
    }

    /// <summary>
    /// <paramref name="history"/> as catalogue indices: each entry is an item id or, failing that, an exact title (the
    /// first item with it); entries that are neither throw or are skipped.
    /// </summary>
    /// <exception cref="ArgumentNullException">The history or an entry is null.</exception>
    /// <exception cref="UnknownItemsException">Entries name no item and unknown items throw.</exception>
    /// <exception cref="EmptyHistoryException">Nothing is left and empty histories throw.</exception>
    public ResolvedHistory Resolve(IReadOnlyList<string> history, string argument = "history")
    {
        if (history is null)
            throw new ArgumentNullException(argument);
        var items = new List<int>(history.Count);
        var unknown = new List<string>();
        for (int i = 0; i < history.Count; i++)
        {
            string entry = history[i] ?? throw new ArgumentNullException(argument, $"{argument}[{i}] is null.");
            if (Catalog.TryGetIndex(entry, out int index))
                items.Add(index);
            else if (Catalog.IndicesWithTitle(entry) is [int first, ..])
                items.Add(first);
            else
                unknown.Add(entry);
        }
        if (unknown.Count > 0 && Options.UnknownItems == UnknownItemHandling.Throw)
        {
            string named = string.Join(", ", unknown.Take(NamedInMessage).Select(u => $"'{u}'"));
            string more = unknown.Count > NamedInMessage ? $" and {unknown.Count - NamedInMessage} more" : "";
            throw new UnknownItemsException(
                $"{argument} holds {unknown.Count} entr{(unknown.Count == 1 ? "y" : "ies")} that {(unknown.Count == 1 ? "is" : "are")} neither an item id nor an exact title of the catalogue: {named}{more}. " +
                "Set RecommenderOptions.UnknownItems to Skip to leave such entries out.", unknown, argument);
        }
        if (items.Count == 0 && Options.EmptyHistory == EmptyHistoryHandling.Throw)
        {
            string why = history.Count == 0 ? "is empty" : $"names no item of the catalogue ({history.Count} entries skipped)";
            throw new EmptyHistoryException(
                $"{argument} {why}, so there is nothing to continue. Give at least one item id or title, or set RecommenderOptions.EmptyHistory to MostPopular for the popularity list.", argument);
        }
        return new ResolvedHistory([.. items], [.. unknown]);
    }

    /// <summary>
    /// The best <paramref name="k"/> items by <paramref name="scores"/> (one per catalogue item) that the filter allows,
    /// leaving out the history's items when <see cref="RecommenderOptions.ExcludeHistory"/> is set.
    /// </summary>
    public RecommendationList Rank(IReadOnlyList<double> scores, ResolvedHistory history, int k) =>
        Rank(scores, history, k, isPopularityFallback: false);

    /// <summary>The popularity list for an empty history (<see cref="EmptyHistoryHandling.MostPopular"/>).</summary>
    public RecommendationList MostPopular(ResolvedHistory history, int k) =>
        Rank(_popularity ?? throw new InvalidOperationException("This recommender has no training counts."), history, k, isPopularityFallback: true);

    private RecommendationList Rank(IReadOnlyList<double> scores, ResolvedHistory history, int k, bool isPopularityFallback)
    {
        if (scores.Count != Catalog.Count)
            throw new ArgumentException($"{scores.Count} scores for a catalogue of {Catalog.Count} items.", nameof(scores));
        double[] s = scores as double[] ?? [.. scores];
        var excluded = Options.ExcludeHistory ? new HashSet<int>(history.Items) : [];
        int[] order = k * 4 < AllowedCount ? Best(s, excluded, k) : All(s, excluded);
        var top = new Recommendation[Math.Min(k, order.Length)];
        for (int r = 0; r < top.Length; r++)
        {
            var item = Catalog[order[r]];
            top[r] = new Recommendation(item.Id, item.Title, s[item.Index], r + 1);
        }
        return new RecommendationList(top, history.Skipped, isPopularityFallback);
    }

    // Every candidate, sorted.
    private int[] All(double[] s, HashSet<int> excluded)
    {
        var candidates = new List<int>(AllowedCount);
        for (int i = 0; i < _allowed.Length; i++)
        {
            if (_allowed[i] && !excluded.Contains(i))
                candidates.Add(i);
        }
        candidates.Sort((a, b) => Compare(s[a], a, s[b], b));
        return [.. candidates];
    }

    // The k first candidates of the same order, through a heap of k that evicts its last: a request for the top 10 of
    // thousands of items costs n log k comparisons instead of a full sort's n log n.
    private int[] Best(double[] s, HashSet<int> excluded, int k)
    {
        // The heap's minimum is the candidate that ranks last among those kept.
        var kept = new PriorityQueue<int, int>(k, Comparer<int>.Create((a, b) => Compare(s[b], b, s[a], a)));
        for (int i = 0; i < _allowed.Length; i++)
        {
            if (!_allowed[i] || excluded.Contains(i))
                continue;
            if (kept.Count < k)
                kept.Enqueue(i, i);
            else if (Compare(s[i], i, s[kept.Peek()], kept.Peek()) < 0)
                kept.DequeueEnqueue(i, i);
        }
        var order = new int[kept.Count];
        for (int r = order.Length - 1; r >= 0; r--)
            order[r] = kept.Dequeue();
        return order;
    }

    // Soft's one ranking rule (CatalogRanking): higher first, NaN after every number, equal scores by the lower index.
    private static int Compare(double x, int i, double y, int j) =>
        i == j ? 0 : CatalogRanking.Precedes(x, i, y, j, RankingDirection.HigherIsBetter) ? -1 : 1;

    private IEnumerable<int> Indices(IReadOnlyList<string>? ids, string option)
    {
        if (ids is null)
            return [];
        var unknown = ids.Where(id => !Catalog.TryGetIndex(id, out _)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownItemsException(
                $"RecommenderOptions.{option} names {unknown.Count} id{(unknown.Count == 1 ? "" : "s")} the catalogue does not have: {string.Join(", ", unknown.Take(NamedInMessage).Select(u => $"'{u}'"))}" +
                (unknown.Count > NamedInMessage ? $" and {unknown.Count - NamedInMessage} more." : "."), unknown, option);
        }
        return ids.Select(id => { Catalog.TryGetIndex(id, out int index); return index; });
    }
}
