using System.Collections.ObjectModel;

namespace Soft.Data;

/// <summary>
/// The items a dataset recommends from: a dense list indexed 0..Count−1, a lookup from source ids, and a lookup from
/// titles. Titles are not unique in real data (18 titles are shared by 36 MovieLens-100K movies), so a title maps to
/// a list of items, in catalogue order.
/// </summary>
public sealed class ItemCatalog
{
    private readonly CatalogItem[] _items;
    private readonly Dictionary<string, int> _byId;
    private readonly Dictionary<string, int[]> _byTitle;

    /// <summary>Builds a catalogue; each item's <see cref="CatalogItem.Index"/> is reassigned to its position.</summary>
    /// <param name="items">Items in catalogue order; ids must be unique and titles non-empty.</param>
    /// <param name="source">The file or dataset name used in error messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">The catalogue is empty, an id repeats, or a title is empty.</exception>
    public ItemCatalog(IEnumerable<CatalogItem> items, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<CatalogItem>();
        _byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var titles = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (string.IsNullOrWhiteSpace(item.Title))
                throw new DatasetFormatException($"item '{item.Id}' has no title", source, field: "title");
            int index = list.Count;
            if (!_byId.TryAdd(item.Id, index))
                throw new DatasetFormatException($"item id '{item.Id}' appears twice in the catalogue", source, field: "item_id");
            list.Add(item.Index == index ? item : item with { Index = index });
            if (!titles.TryGetValue(item.Title, out var same))
                titles[item.Title] = same = [];
            same.Add(index);
        }
        if (list.Count == 0)
            throw new DatasetFormatException("the item catalogue is empty", source);
        _items = [.. list];
        _byTitle = titles.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        Items = new ReadOnlyCollection<CatalogItem>(_items);
        DuplicateTitles = _byTitle
            .Where(p => p.Value.Length > 1)
            .OrderBy(p => p.Value[0])
            .Select(p => new DuplicateTitle(p.Key, p.Value))
            .ToArray();
    }

    /// <summary>The number of items.</summary>
    public int Count => _items.Length;

    /// <summary>Every item, in catalogue order.</summary>
    public IReadOnlyList<CatalogItem> Items { get; }

    /// <summary>Titles shared by more than one item, ordered by their first item.</summary>
    public IReadOnlyList<DuplicateTitle> DuplicateTitles { get; }

    /// <summary>The item at a catalogue index.</summary>
    /// <param name="index">A 0-based catalogue index.</param>
    public CatalogItem this[int index] => _items[index];

    /// <summary>Finds the catalogue index of a source id.</summary>
    /// <param name="id">The id as written in the source files.</param>
    /// <param name="index">The catalogue index when found.</param>
    /// <returns><see langword="true"/> when the id is in the catalogue.</returns>
    public bool TryGetIndex(string id, out int index) => _byId.TryGetValue(id, out index);

    /// <summary>Every item whose title is exactly <paramref name="title"/>, in catalogue order; empty when none.</summary>
    /// <param name="title">The title to look up (ordinal comparison).</param>
    public IReadOnlyList<int> IndicesWithTitle(string title) =>
        _byTitle.TryGetValue(title, out var indices) ? indices : [];

    /// <summary>
    /// The first item of each distinct title, in catalogue order: the item table the reference code ranks against,
    /// where a duplicate title keeps its first item.
    /// </summary>
    public IReadOnlyList<int> FirstIndexOfEachTitle() =>
        [.. _items.Where(i => _byTitle[i.Title][0] == i.Index).Select(i => i.Index)];

    /// <summary>
    /// Checks that every target and history item of <paramref name="samples"/> is an index of this catalogue, as
    /// evaluators and distillers require before they decode anything.
    /// </summary>
    /// <param name="samples">The samples to check.</param>
    /// <param name="paramName">The argument the samples came in, named by the exception.</param>
    /// <exception cref="ArgumentException">A sample refers to an item outside the catalogue; the message names the sample and its user.</exception>
    public void CheckSamples(IReadOnlyList<RecommendationSample> samples, string paramName)
    {
        ArgumentNullException.ThrowIfNull(samples, paramName);
        for (int i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if ((uint)sample.Target >= (uint)Count || sample.History.Any(h => (uint)h >= (uint)Count))
                throw new ArgumentException($"Sample {i} (user '{sample.UserId}') refers to an item outside the catalogue of {Count} items.", paramName);
        }
    }
}
