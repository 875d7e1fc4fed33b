namespace Soft.Data;

/// <summary>One next-item example: the items a user had before, and the item that came next.</summary>
/// <param name="UserId">The user's source id (empty when the source has none).</param>
/// <param name="History">Catalogue indices of the earlier items, oldest first, at most the history length.</param>
/// <param name="Target">Catalogue index of the next item.</param>
/// <param name="Timestamp">The target's time, or <see langword="null"/> for order-only data.</param>
public sealed record RecommendationSample(string UserId, IReadOnlyList<int> History, int Target, long? Timestamp = null);
