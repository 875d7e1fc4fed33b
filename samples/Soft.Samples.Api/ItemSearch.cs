using Soft.Data;

namespace Soft.Samples.Api;

/// <summary>
/// Title search over the catalogue for building a history: case-insensitive, exact title or id first, then titles
/// that start with the query, then titles that contain it, each in catalogue order. A scan, which for catalogues of
/// thousands of items takes well under a millisecond.
/// </summary>
internal sealed class ItemSearch(ItemCatalog catalog)
{
    public (IReadOnlyList<CatalogEntry> Items, int Total) Find(string query, int limit)
    {
        var exact = new List<CatalogItem>();
        var prefix = new List<CatalogItem>();
        var contains = new List<CatalogItem>();
        foreach (var item in catalog.Items)
        {
            if (string.Equals(item.Title, query, StringComparison.OrdinalIgnoreCase) || string.Equals(item.Id, query, StringComparison.Ordinal))
                exact.Add(item);
            else if (item.Title.StartsWith(query, StringComparison.OrdinalIgnoreCase))
                prefix.Add(item);
            else if (item.Title.Contains(query, StringComparison.OrdinalIgnoreCase))
                contains.Add(item);
        }
        var found = exact.Concat(prefix).Concat(contains).Take(limit).Select(i => new CatalogEntry(i.Id, i.Title)).ToList();
        return (found, exact.Count + prefix.Count + contains.Count);
    }
}
