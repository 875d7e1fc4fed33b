namespace Soft.Data;

/// <summary>One user's items in chronological order.</summary>
/// <param name="UserId">The user's source id.</param>
/// <param name="Items">Catalogue indices, oldest first.</param>
/// <param name="Timestamps">The time of each item (same length as <paramref name="Items"/>), or <see langword="null"/> for order-only data.</param>
/// <param name="Split">The split the source assigns to this user (LLaRA's user-disjoint LastFM split), or <see langword="null"/>.</param>
public sealed record UserSequence(string UserId, IReadOnlyList<int> Items, IReadOnlyList<long>? Timestamps = null, DataSplit? Split = null);
