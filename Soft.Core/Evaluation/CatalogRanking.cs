using System.Numerics;

namespace Soft.Evaluation;

/// <summary>
/// Full-catalogue ranking from one value (distance or score) per item, with deterministic ties.
/// </summary>
/// <remarks>
/// <para>
/// Item ids are the dense positions 0 … n − 1 of the value span (the rows of the item table). Items are ordered by
/// value in the chosen <see cref="RankingDirection"/>; equal values are ordered by item id, smallest first; NaN
/// ranks after every number, so a broken embedding can never earn a hit. Ranks are 0-based.
/// </para>
/// <para>
/// <b>Duplicate titles.</b> The ranking is over items, and the ground truth is an item id. Items that share a
/// title share an embedding, so they tie and the tie-break puts them in id order: a true item that is a later
/// duplicate would be ranked behind its twins. The reference avoids this by building the item table from the
/// first item of each title; do the same (one row per distinct title, the truth mapped to its title's row) to
/// reproduce its numbers.
/// </para>
/// <para>
/// <see cref="RankOf"/> counts instead of sorting (O(n)) and <see cref="TopK"/> keeps a bounded heap
/// (O(n log k)); only <see cref="Rank"/> sorts the whole catalogue.
/// </para>
/// </remarks>
public static class CatalogRanking
{
    /// <summary>The 0-based rank of <paramref name="item"/> in the full ranking of <paramref name="values"/>.</summary>
    /// <typeparam name="T">The value type (float, double, …).</typeparam>
    /// <param name="values">One value per item, indexed by item id.</param>
    /// <param name="item">The item whose rank is wanted (usually the true item).</param>
    /// <param name="direction">Whether smaller or larger values rank first.</param>
    /// <returns>The number of items ranked before <paramref name="item"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="item"/> is not an index of <paramref name="values"/>.</exception>
    public static int RankOf<T>(ReadOnlySpan<T> values, int item, RankingDirection direction = RankingDirection.LowerIsBetter)
        where T : INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, values.Length);
        T target = values[item];
        int before = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (Precedes(values[i], i, target, item, direction))
                before++;
        }

        return before;
    }

    /// <summary>The best <paramref name="k"/> items, in rank order.</summary>
    /// <typeparam name="T">The value type (float, double, …).</typeparam>
    /// <param name="values">One value per item, indexed by item id.</param>
    /// <param name="k">How many items to return; more than the catalogue returns every item.</param>
    /// <param name="direction">Whether smaller or larger values rank first.</param>
    /// <returns>Item ids, best first; min(k, catalogue size) of them.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static int[] TopK<T>(ReadOnlySpan<T> values, int k, RankingDirection direction = RankingDirection.LowerIsBetter)
        where T : INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int count = Math.Min(k, values.Length);
        if (count == 0)
            return [];

        // Max-heap of the best `count` seen so far with the worst of them at the root, so each new item costs one
        // comparison unless it beats that worst one.
        var heapIds = new int[count];
        for (int i = 0; i < count; i++)
        {
            heapIds[i] = i;
            SiftUp(heapIds, i, values, direction);
        }

        int worst = heapIds[0];
        T worstValue = values[worst];
        for (int i = count; i < values.Length; i++)
        {
            if (Precedes(values[i], i, worstValue, worst, direction))
            {
                heapIds[0] = i;
                SiftDown(heapIds, count, values, direction);
                worst = heapIds[0];
                worstValue = values[worst];
            }
        }

        // Popping the worst repeatedly fills the result from the back.
        var result = new int[count];
        for (int last = count - 1; last >= 0; last--)
        {
            result[last] = heapIds[0];
            heapIds[0] = heapIds[last];
            SiftDown(heapIds, last, values, direction);
        }

        return result;
    }

    /// <summary>Every item, in rank order.</summary>
    /// <typeparam name="T">The value type (float, double, …).</typeparam>
    /// <param name="values">One value per item, indexed by item id.</param>
    /// <param name="direction">Whether smaller or larger values rank first.</param>
    /// <returns>All item ids, best first.</returns>
    public static int[] Rank<T>(ReadOnlySpan<T> values, RankingDirection direction = RankingDirection.LowerIsBetter)
        where T : INumber<T>
    {
        var ids = new int[values.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = i;
        var keys = values.ToArray();
        Array.Sort(ids, (a, b) => Compare(keys[a], a, keys[b], b, direction));
        return ids;
    }

    /// <summary>Whether (value a, id a) ranks strictly before (value b, id b).</summary>
    /// <remarks>The hot loop of every method here, so it tries the two plain comparisons first: both are false
    /// only for equal values or a NaN, the rare cases.</remarks>
    /// <summary>
    /// Whether item <paramref name="idA"/> with value <paramref name="a"/> ranks before item <paramref name="idB"/> with
    /// <paramref name="b"/>: the one rule every ranking in Soft follows (value in <paramref name="direction"/>, NaN last,
    /// ties by the lower id).
    /// </summary>
    public static bool Precedes<T>(T a, int idA, T b, int idB, RankingDirection direction)
        where T : INumber<T>
    {
        bool lowerFirst = direction == RankingDirection.LowerIsBetter;
        if (a < b)
            return lowerFirst;
        if (b < a)
            return !lowerFirst;
        bool nanA = T.IsNaN(a), nanB = T.IsNaN(b);
        if (nanA != nanB)
            return nanB;
        return idA < idB;
    }

    private static int Compare<T>(T a, int idA, T b, int idB, RankingDirection direction)
        where T : INumber<T>
    {
        bool nanA = T.IsNaN(a), nanB = T.IsNaN(b);
        int byValue;
        if (nanA || nanB)
            byValue = nanA == nanB ? 0 : nanA ? 1 : -1;
        else
            byValue = direction == RankingDirection.LowerIsBetter ? a.CompareTo(b) : b.CompareTo(a);
        return byValue != 0 ? byValue : idA.CompareTo(idB);
    }

    private static void SiftUp<T>(int[] heap, int index, ReadOnlySpan<T> values, RankingDirection direction)
        where T : INumber<T>
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            // The root must hold the worst item, so a child moves up when it ranks after its parent.
            if (!Precedes(values[heap[parent]], heap[parent], values[heap[index]], heap[index], direction))
                break;
            (heap[parent], heap[index]) = (heap[index], heap[parent]);
            index = parent;
        }
    }

    private static void SiftDown<T>(int[] heap, int size, ReadOnlySpan<T> values, RankingDirection direction)
        where T : INumber<T>
    {
        int index = 0;
        while (true)
        {
            int worst = index;
            int left = (2 * index) + 1, right = left + 1;
            if (left < size && Precedes(values[heap[worst]], heap[worst], values[heap[left]], heap[left], direction))
                worst = left;
            if (right < size && Precedes(values[heap[worst]], heap[worst], values[heap[right]], heap[right], direction))
                worst = right;
            if (worst == index)
                return;
            (heap[worst], heap[index]) = (heap[index], heap[worst]);
            index = worst;
        }
    }
}
