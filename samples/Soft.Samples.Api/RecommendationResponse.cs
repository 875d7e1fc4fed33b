namespace Soft.Samples.Api;

/// <summary>The answer of <c>POST /recommendations</c>.</summary>
/// <param name="Method">The method whose model answered (SOFT).</param>
/// <param name="Items">The best items, best first.</param>
/// <param name="Skipped">History entries that named no item and were skipped (only with <c>UnknownItems: Skip</c>).</param>
/// <param name="PopularityFallback">True when the history was empty and these are the most popular items (only with <c>EmptyHistory: MostPopular</c>).</param>
public sealed record RecommendationResponse(string Method, IReadOnlyList<RecommendedItem> Items, IReadOnlyList<string> Skipped, bool PopularityFallback);

/// <summary>One recommended item.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Title">The item's title.</param>
/// <param name="Score">The model's log-probability of the item (the training count for the popularity fallback); null when not finite.</param>
/// <param name="Rank">1-based position.</param>
public sealed record RecommendedItem(string Id, string Title, double? Score, int Rank);
