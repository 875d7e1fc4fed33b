using System.Globalization;
using System.Text;
using Soft.Data;
using Soft.Runtime;

namespace Soft.Benchmarks;

/// <summary>
/// Catalogues with long titles, made from a real one: each title shorter than the goal keeps its own text and gets
/// words of other titles of the same catalogue appended, until it is exactly the goal long. Long product titles
/// (Amazon's run to ~180 characters) are lists of such words, so the tokens per character, and the tokenizer's
/// vocabulary, stay those of the catalogue, while every prompt grows as a long-title catalogue's would.
/// </summary>
internal static class TitleSynthesis
{
    /// <summary>
    /// A copy of <paramref name="catalog"/> whose titles are at least <paramref name="characters"/> long (in UTF-16
    /// characters, as <see cref="string.Length"/> counts): shorter ones are padded to exactly that length, longer ones
    /// are kept. Ids, order and metadata are unchanged; the same seed gives the same titles.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="characters"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The catalogue's titles hold no word to pad with.</exception>
    public static ItemCatalog Lengthen(ItemCatalog catalog, int characters, long seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(characters, 1);
        string[] words = [.. catalog.Items.SelectMany(i => i.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        if (words.Length == 0)
            throw new ArgumentException("The catalogue's titles hold no word to pad with.", nameof(catalog));
        var items = new List<CatalogItem>(catalog.Count);
        foreach (var item in catalog.Items)
        {
            // One stream per item, so an item's padding does not depend on the items before it.
            var random = SoftRandom.Create(seed, "title-synthesis-" + item.Index.ToString(CultureInfo.InvariantCulture));
            var title = new StringBuilder(item.Title);
            while (title.Length < characters)
                title.Append(' ').Append(words[random.Next(words.Length)]);
            items.Add(item with { Title = Cut(title.ToString(), Math.Max(characters, item.Title.Length)) });
        }
        return new ItemCatalog(items, "synthesised titles");
    }

    /// <summary>The mean title length of <paramref name="catalog"/>, in characters.</summary>
    public static double MeanLength(ItemCatalog catalog) => catalog.Items.Average(i => i.Title.Length);

    // The first `length` characters, one fewer where that would split a surrogate pair; a trailing space (a cut just
    // after a word) becomes an 's', so that no title ends in whitespace and the length stays the goal.
    private static string Cut(string text, int length)
    {
        if (text.Length <= length)
            return text;
        int end = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        string cut = text[..end];
        return cut.EndsWith(' ') ? cut[..^1] + "s" : cut;
    }
}
