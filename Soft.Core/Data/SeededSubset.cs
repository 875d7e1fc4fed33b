using Soft.Runtime;

namespace Soft.Data;

/// <summary>
/// A seeded random subset kept in the original order (chronological for samples): a partial Fisher–Yates draw on a
/// named <see cref="SoftRandom"/> stream, so each subset depends only on the seed and its stream name. Used for the
/// SOFT protocol's 4096/512/1000 subsets, the validation subset and the fixed distance sample of the curriculum.
/// </summary>
internal static class SeededSubset
{
    /// <summary>
    /// <paramref name="count"/> items of <paramref name="items"/> drawn without replacement, in their original order;
    /// all of them when <paramref name="count"/> is null or not smaller than the list.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> items, int? count, long seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(stream);
        if (count is not { } k || items.Count <= k)
            return items;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(count));
        var random = SoftRandom.Create(seed, stream);
        int[] order = [.. Enumerable.Range(0, items.Count)];
        for (int i = 0; i < k; i++)
        {
            int j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return [.. order.Take(k).Order().Select(i => items[i])];
    }
}
