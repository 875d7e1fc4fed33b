using System.Collections;

namespace Soft.Recommenders;

/// <summary>The ranked items of one <see cref="IRecommender.Recommend"/> call, with what the call left out of the history.</summary>
public sealed class RecommendationList : IReadOnlyList<Recommendation>
{
    private readonly IReadOnlyList<Recommendation> _items;

    internal RecommendationList(IReadOnlyList<Recommendation> items, IReadOnlyList<string> skipped, bool isPopularityFallback)
    {
        _items = items;
        Skipped = skipped;
        IsPopularityFallback = isPopularityFallback;
    }

    /// <summary>History entries that named no item and were skipped (<see cref="UnknownItemHandling.Skip"/>); empty otherwise.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>
    /// True when the history was empty and these are the most popular items (<see cref="EmptyHistoryHandling.MostPopular"/>),
    /// not the model's answer.
    /// </summary>
    public bool IsPopularityFallback { get; }

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public Recommendation this[int index] => _items[index];

    /// <inheritdoc/>
    public IEnumerator<Recommendation> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
