namespace Soft.Recommenders;

/// <summary>What a recommender does with a history entry that is neither an item id nor an exact title of its catalogue.</summary>
public enum UnknownItemHandling
{
    /// <summary>Throw <see cref="UnknownItemsException"/>, which names every such entry (the default).</summary>
    Throw,

    /// <summary>Leave the entries out and list them in <see cref="RecommendationList.Skipped"/>.</summary>
    Skip,
}
