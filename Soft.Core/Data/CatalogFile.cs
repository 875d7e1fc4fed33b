using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Soft.IO;

namespace Soft.Data;

/// <summary>
/// A catalogue as JSON Lines, one item per line in catalogue order, with how often it occurs in the training data:
/// <c>{"id":"51","title":"Madonna","count":12}</c> (<c>metadata</c> too when the item has some). A run folder keeps
/// one (<see cref="FileName"/>) so that serving maps catalogue indices back to ids and titles without the data files.
/// </summary>
internal static class CatalogFile
{
    /// <summary>The file's name in a run folder.</summary>
    public const string FileName = "catalog.jsonl";

    private static readonly JsonLines<Line> Lines = new(
        new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Titles stay readable in the file (accents, quotes) instead of \u escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        },
        "Catalogue file",
        "a catalogue item");

    /// <summary>Writes <paramref name="catalog"/> with one training count per item to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">The items, written in catalogue order.</param>
    /// <param name="counts">Per item, its training occurrences (what a popularity list ranks by).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="counts"/> does not have one entry per item.</exception>
    public static void Write(string path, ItemCatalog catalog, IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != catalog.Count)
            throw new ArgumentException($"{counts.Count} counts for {catalog.Count} items.", nameof(counts));
        Lines.Write(path, catalog.Items.Select(item => new Line(item.Id, item.Title, item.Metadata, counts[item.Index])));
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The catalogue and the training count of each item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not an item, or the items do not make a catalogue; the message names the line.</exception>
    public static (ItemCatalog Catalog, long[] Counts) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var items = new List<CatalogItem>();
        var counts = new List<long>();
        foreach (var (number, line) in Lines.Read(path))
        {
            if (line?.Id is null || string.IsNullOrWhiteSpace(line.Title) || line.Count < 0)
                throw new InvalidDataException($"{path}, line {number}: an item needs an id, a title and a count ≥ 0.");
            items.Add(new CatalogItem(items.Count, line.Id, line.Title, line.Metadata));
            counts.Add(line.Count);
        }
        try
        {
            return (new ItemCatalog(items, path), [.. counts]);
        }
        catch (DatasetFormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private sealed record Line(string Id, string Title, string? Metadata, long Count);
}
