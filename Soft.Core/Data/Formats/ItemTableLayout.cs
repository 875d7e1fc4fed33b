using System.Text.RegularExpressions;

namespace Soft.Data.Formats;

/// <summary>
/// Which tab-separated column of a D3/BIGRec/MiniOneRec item table (<c>info/*.txt</c>) holds what. Published tables
/// come in three layouts without a header: <c>title\tid</c> (D3, BIGRec), <c>id\ttitle</c>, and
/// <c>code\ttitle\tid</c> (MiniOneRec, where the code is the item's semantic id such as <c>&lt;a_1&gt;&lt;b_2&gt;&lt;c_3&gt;</c>);
/// a header row naming the columns is also accepted. Reading the wrong column silently turns codes into titles,
/// so the layout is decided from the whole file, and a file that fits more than one layout is refused. Without a
/// header, a title may itself hold a tab: the id and the code sit at the ends of the row.
/// </summary>
internal sealed partial class ItemTableLayout
{
    private static readonly string[] IdNames = ["item_id", "id", "itemid"];
    private static readonly string[] TitleNames = ["title", "item_title", "name", "item_name"];
    private static readonly string[] CodeNames = ["code", "codes", "sid", "semantic_id", "item_sid", "semantic_code"];

    private readonly Func<string[], (string Id, string Title, string? Code)?> _split;

    private ItemTableLayout(string name, bool hasHeader, Func<string[], (string Id, string Title, string? Code)?> split)
    {
        Name = name;
        HasHeader = hasHeader;
        _split = split;
    }

    /// <summary>The layouts tried on a file without a header.</summary>
    public static IReadOnlyList<ItemTableLayout> Headerless { get; } =
    [
        new("title<TAB>id", false, f => f.Length >= 2 && IsWholeNumber(f[^1]) && !IsCode(f[0]) ? (f[^1], string.Join('\t', f[..^1]), null) : null),
        new("id<TAB>title", false, f => f.Length >= 2 && IsWholeNumber(f[0]) && !IsCode(f[1]) ? (f[0], string.Join('\t', f[1..]), null) : null),
        new("code<TAB>title<TAB>id", false, f => f.Length >= 3 && IsCode(f[0]) && IsWholeNumber(f[^1]) ? (f[^1], string.Join('\t', f[1..^1]), f[0]) : null),
    ];

    /// <summary>How the layout is named in messages.</summary>
    public string Name { get; }

    /// <summary>Whether the first row is a header (and holds no item).</summary>
    public bool HasHeader { get; }

    /// <summary>The row's id, title and code, or null when the row does not fit this layout.</summary>
    public (string Id, string Title, string? Code)? Split(string[] fields) => _split(fields);

    /// <summary>Decides the layout from a header row or from the content of every row.</summary>
    /// <param name="rows">The non-empty rows, split on tabs, with their 1-based line numbers.</param>
    /// <param name="path">The file, for error messages.</param>
    /// <exception cref="DatasetFormatException">No layout fits every row, or more than one does.</exception>
    public static ItemTableLayout Detect(IReadOnlyList<(long Line, string[] Fields)> rows, string path)
    {
        if (rows.Count == 0)
            throw new DatasetFormatException("the item table is empty", path);
        if (FromHeader(rows[0].Fields, path) is { } named)
            return named;

        var fits = Headerless.Where(layout => rows.All(r => layout.Split(r.Fields) is not null)).ToList();
        if (fits.Count == 1)
            return fits[0];
        if (fits.Count > 1)
            throw new DatasetFormatException(
                $"the item table fits more than one layout ({string.Join(", ", fits.Select(f => f.Name))}): the first and the last column hold whole numbers on every row. " +
                "Add a header row (for example 'title<TAB>item_id') so the columns can be told apart", path, rows[0].Line);
        // Name the first row that breaks the layout most rows fit, so the odd row can be found.
        var likely = Headerless.MaxBy(layout => rows.Count(r => layout.Split(r.Fields) is not null))!;
        var (line, fields) = rows.First(r => likely.Split(r.Fields) is null);
        throw new DatasetFormatException(
            $"the row '{string.Join("<TAB>", fields)}' fits none of the item-table layouts {string.Join(", ", Headerless.Select(l => l.Name))} " +
            $"(most rows look like {likely.Name}; ids are whole numbers, codes look like <a_1><b_2>); or give the file a header row naming item_id and title",
            path, line);
    }

    private static ItemTableLayout? FromHeader(string[] header, string path)
    {
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int id = Array.FindIndex(names, IdNames.Contains), title = Array.FindIndex(names, TitleNames.Contains);
        if (id < 0 && title < 0)
            return null;
        if (id < 0 || title < 0)
            throw new DatasetFormatException(
                $"the header row names no {(id < 0 ? "id column (" + string.Join(", ", IdNames) : "title column (" + string.Join(", ", TitleNames))})", path, 1);
        int code = Array.FindIndex(names, CodeNames.Contains);
        int width = names.Length;
        return new ItemTableLayout("header " + string.Join("<TAB>", header), true,
            f => f.Length == width ? (f[id], f[title], code < 0 ? null : f[code]) : null);
    }

    private static bool IsWholeNumber(string text) => text.Trim() is { Length: > 0 } t && t.All(char.IsAsciiDigit);

    private static bool IsCode(string text) => CodePattern().IsMatch(text.Trim());

    [GeneratedRegex(@"^(<[^<>\s]+>)+$")]
    private static partial Regex CodePattern();
}
