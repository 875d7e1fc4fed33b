namespace Soft.Metrics.Grounding;

/// <summary>Where one grounded answer puts the true item.</summary>
/// <param name="Rank">0-based rank of the true item (or of its title's first item) among the ranked rows.</param>
/// <param name="TopItems">The closest items, closest first (catalogue indices).</param>
/// <param name="TargetDistance">The L2 distance between the answer and the true item's vector.</param>
public sealed record GroundedRank(int Rank, IReadOnlyList<int> TopItems, float TargetDistance);
