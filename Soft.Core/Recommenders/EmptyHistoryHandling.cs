namespace Soft.Recommenders;

/// <summary>What a recommender does with an empty history (or one that is empty once unknown entries are skipped).</summary>
public enum EmptyHistoryHandling
{
    /// <summary>Throw <see cref="EmptyHistoryException"/> (the default): a next-item model has nothing to continue.</summary>
    Throw,

    /// <summary>
    /// Return the most popular items of the training data (a cold-start list), filtered like any answer, with
    /// <see cref="RecommendationList.IsPopularityFallback"/> set.
    /// </summary>
    MostPopular,
}
