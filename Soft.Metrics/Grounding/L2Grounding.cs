using Soft.Evaluation;

namespace Soft.Metrics.Grounding;

/// <summary>
/// BIGRec's grounding step: L2 distances from an answer's vector to every row of an <see cref="ItemEmbeddingTable"/>
/// and the full ranking they induce (ties by item id, see <see cref="CatalogRanking"/>).
/// </summary>
public static class L2Grounding
{
    /// <summary>Writes the L2 distance from <paramref name="query"/> to each of <paramref name="rows"/> into <paramref name="distances"/>.</summary>
    /// <param name="query">The answer's vector, of the table's width.</param>
    /// <param name="table">The item table.</param>
    /// <param name="rows">The items to measure, in output order.</param>
    /// <param name="distances">One slot per entry of <paramref name="rows"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public static void Distances(ReadOnlySpan<float> query, ItemEmbeddingTable table, ReadOnlySpan<int> rows, Span<float> distances)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (query.Length != table.Dimension)
            throw new ArgumentException($"The answer vector has width {query.Length}, the item table {table.Dimension}; embed both with the same model.", nameof(query));
        if (distances.Length != rows.Length)
            throw new ArgumentException($"{distances.Length} slots for {rows.Length} rows.", nameof(distances));
        for (int i = 0; i < rows.Length; i++)
            distances[i] = Distance(query, table.Row(rows[i]));
    }

    /// <summary>The L2 distance between two vectors of equal length (see <see cref="ItemEmbeddingTable.Distance"/>).</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector.</param>
    /// <returns>sqrt(Σ(a − b)²).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => ItemEmbeddingTable.Distance(a, b);

    /// <summary>Ranks the catalogue for one answer vector and finds the true item's place.</summary>
    /// <param name="query">The answer's vector.</param>
    /// <param name="table">The item table.</param>
    /// <param name="target">The true item (catalogue index).</param>
    /// <param name="keepTop">How many closest items to return.</param>
    /// <param name="firstItemOfEachTitle">
    /// True (the reference's rule): rank only the first item of each title and score the true item by its title's
    /// first item. False: rank every item; a later duplicate then ties with, and ranks behind, its twins.
    /// </param>
    /// <returns>The rank, the top items and the distance to the true item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is outside the catalogue or <paramref name="keepTop"/> is below 1.</exception>
    public static GroundedRank Rank(ReadOnlySpan<float> query, ItemEmbeddingTable table, int target, int keepTop, bool firstItemOfEachTitle = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, table.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepTop, 1);
        var rows = firstItemOfEachTitle ? (IReadOnlyList<int>)table.RankingRows : Enumerable.Range(0, table.Count).ToArray();
        int[] rowIds = rows as int[] ?? [.. rows];
        var distances = new float[rowIds.Length];
        Distances(query, table, rowIds, distances);
        int ranked = firstItemOfEachTitle ? table.RankingRowOf(target) : target;
        // Rows are ascending item ids, so CatalogRanking's tie-break by position is a tie-break by item id.
        int position = Array.BinarySearch(rowIds, ranked);
        int rank = CatalogRanking.RankOf<float>(distances, position);
        var top = CatalogRanking.TopK<float>(distances, keepTop);
        for (int i = 0; i < top.Length; i++)
            top[i] = rowIds[top[i]];
        return new GroundedRank(rank, top, Distance(query, table.Row(target)));
    }
}
