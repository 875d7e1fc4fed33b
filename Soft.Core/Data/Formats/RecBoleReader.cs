using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Reads RecBole atomic files: tab-separated, with a header of <c>name:type</c> columns. An interaction file
/// (<c>.inter</c>: <c>user_id</c>, <c>item_id</c>, optional <c>rating</c> and <c>timestamp</c>) with an item file
/// (<c>.item</c>, or UniSRec's <c>.text</c>) gives an <see cref="InteractionData"/>; the sequential benchmark files
/// (<c>name.train.inter</c>, <c>name.valid.inter</c>, <c>name.test.inter</c> with an <c>item_id_list:token_seq</c>
/// column) give a dataset with the files' own split.
/// </summary>
public static class RecBoleReader
{
    /// <summary>Item-file columns tried, in order, for the title when none is named.</summary>
    public static IReadOnlyList<string> TitleColumns { get; } = ["title", "movie_title", "item_title", "name", "text"];

    /// <summary>Reads an interaction file and its item file.</summary>
    /// <param name="interPath">The <c>.inter</c> file.</param>
    /// <param name="itemPath">The <c>.item</c> or <c>.text</c> file.</param>
    /// <param name="titleColumn">The item-file column that holds titles; <see langword="null"/> tries <see cref="TitleColumns"/>.</param>
    /// <returns>Titled items (in item-file order) and interactions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interPath"/> or <paramref name="itemPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or an interaction names an item the item file lacks.</exception>
    public static InteractionData ReadAtomic(string interPath, string itemPath, string? titleColumn = null)
    {
        ArgumentNullException.ThrowIfNull(interPath);
        ArgumentNullException.ThrowIfNull(itemPath);
        var builder = new InteractionDataBuilder(AtomicName(interPath));
        var lines = new ItemIdLines(itemPath, "item_id", "item");
        foreach (var (id, title, line) in ReadItems(itemPath, titleColumn))
        {
            lines.Add(id, line);
            builder.AddItem(id, title, source: itemPath, line: line);
        }

        using var reader = TextLineReader.Open(interPath);
        var columns = Header(reader);
        int user = columns.Require("user_id"), item = columns.Require("item_id");
        int? rating = columns.Optional("rating"), time = columns.Optional("timestamp");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = Row(line, columns, reader);
            string itemId = FieldParser.Required(f[item], "item_id", reader.Source, reader.LineNumber);
            if (!builder.HasItem(itemId))
                throw new DatasetFormatException($"item '{itemId}' is not in {itemPath}", reader.Source, reader.LineNumber, "item_id");
            builder.AddInteraction(
                FieldParser.Required(f[user], "user_id", reader.Source, reader.LineNumber),
                itemId,
                rating is { } r && f[r].Length > 0 ? FieldParser.Float(f[r], "rating", reader.Source, reader.LineNumber) : null,
                time is { } t ? FieldParser.Timestamp(f[t], "timestamp", reader.Source, reader.LineNumber) : null,
                reader.Source,
                reader.LineNumber);
        }
        return builder.Build();
    }

    /// <summary>
    /// Reads RecBole's sequential benchmark files <c>{name}.train.inter</c>, <c>{name}.valid.inter</c> and
    /// <c>{name}.test.inter</c> from a folder, with titles from <c>{name}.item</c> or else <c>{name}.text</c>.
    /// The UniSRec/CoWPiRec layout is recognised too: when <c>{name}.item2index</c> exists, the <c>.inter</c> files hold
    /// item indices, and its <c>original id\tindex</c> lines map them to the ids of the item file; likewise
    /// <c>{name}.user2index</c> maps user indices back to the original user ids when it exists.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="name">The dataset name that prefixes the files.</param>
    /// <param name="domain">The domain words.</param>
    /// <param name="options">History length, subsets and seed; <see langword="null"/> for the defaults.</param>
    /// <param name="titleColumn">The item-file column that holds titles; <see langword="null"/> tries <see cref="TitleColumns"/>.</param>
    /// <returns>The dataset, with the files' split.</returns>
    /// <exception cref="ArgumentNullException">An argument other than the optional ones is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">A benchmark file or the item file is missing.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or a row names an item the item file lacks.</exception>
    public static RecommendationDataset ReadBenchmark(string folder, string name, RecommendationDomain domain, DatasetOptions? options = null, string? titleColumn = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(domain);
        string itemPath = DataFile.Find(folder, name + ".item") ?? DataFile.Resolve(folder, name + ".text");
        var items = new List<CatalogItem>();
        var lines = new ItemIdLines(itemPath, "item_id", "item");
        var untitled = new List<(string Id, long Line)>();
        foreach (var (id, title, line) in ReadItems(itemPath, titleColumn))
        {
            lines.Add(id, line);
            // Untitled items cannot be shown in a prompt; a benchmark row that needs one fails below.
            if (!string.IsNullOrWhiteSpace(title))
                items.Add(new CatalogItem(items.Count, id, title.Trim()));
            else
                untitled.Add((id, line));
        }
        List<DatasetDrop> drops = untitled.Count == 0 ? [] :
            [new DatasetDrop(DatasetDropReason.NoTitle, untitled.Count, "items", "(no benchmark row names them)", $"item '{untitled[0].Id}'", itemPath, untitled[0].Line)];
        var catalog = new ItemCatalog(items, itemPath);
        var itemIndex = IndexMap.ReadIfExists(DataFile.Resolve(folder, name + ".item2index"));
        var userIndex = IndexMap.ReadIfExists(DataFile.Resolve(folder, name + ".user2index"));
        var splits = new[] { "train", "valid", "test" }
            .Select(split => ReadBenchmarkFile(DataFile.Resolve(folder, $"{name}.{split}.inter"), catalog, itemIndex, userIndex))
            .ToArray();
        return RecommendationDatasetBuilder.FromSamples(name, catalog, splits[0], splits[1], splits[2], domain, options, drops);
    }

    private static List<RecommendationSample> ReadBenchmarkFile(string path, ItemCatalog catalog, IndexMap? itemIndex, IndexMap? userIndex)
    {
        int Item(string id, long line, string field) =>
            Index(catalog, itemIndex is null ? id : itemIndex.OriginalId(id, path, line, field), path, line, field);
        using var reader = TextLineReader.Open(path);
        var columns = Header(reader);
        int history = columns.Require("item_id_list"), target = columns.Require("item_id");
        int? user = columns.FirstOf(["user_id", "session_id"])?.Index;
        int? time = columns.Optional("timestamp");
        var samples = new List<RecommendationSample>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = Row(line, columns, reader);
            var ids = f[history].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length == 0)
                throw new DatasetFormatException("the history is empty", path, reader.LineNumber, "item_id_list");
            string userId = user is { } u ? f[u].Trim() : string.Empty;
            samples.Add(new RecommendationSample(
                userIndex is null || userId.Length == 0 ? userId : userIndex.OriginalId(userId, path, reader.LineNumber, "user_id"),
                [.. ids.Select(id => Item(id, reader.LineNumber, "item_id_list"))],
                Item(FieldParser.Required(f[target], "item_id", path, reader.LineNumber), reader.LineNumber, "item_id"),
                time is { } t ? FieldParser.Timestamp(f[t], "timestamp", path, reader.LineNumber) : null));
        }
        return samples;
    }

    private static int Index(ItemCatalog catalog, string id, string path, long line, string field) =>
        catalog.TryGetIndex(id, out int index)
            ? index
            : throw new DatasetFormatException($"item '{id}' is not in the titled item list", path, line, field);

    private static IEnumerable<(string Id, string Title, long Line)> ReadItems(string path, string? titleColumn)
    {
        using var reader = TextLineReader.Open(path);
        var columns = Header(reader);
        int id = columns.Require("item_id");
        int title = titleColumn is not null
            ? columns.Require(titleColumn)
            : columns.FirstOf(TitleColumns)?.Index
              ?? throw new DatasetFormatException($"the header has no title column (tried {string.Join(", ", TitleColumns)})", path, 1, "title");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = Row(line, columns, reader);
            yield return (FieldParser.Required(f[id], "item_id", path, reader.LineNumber), f[title], reader.LineNumber);
        }
    }

    private static ColumnMap Header(TextLineReader reader)
    {
        string header = reader.ReadLine() ?? throw new DatasetFormatException("the file is empty", reader.Source, 1);
        return new ColumnMap(header.Split('\t'), reader.Source, typedNames: true);
    }

    private static string[] Row(string line, ColumnMap columns, TextLineReader reader)
    {
        string[] f = line.Split('\t');
        if (f.Length != columns.Count)
            throw new DatasetFormatException($"expected {columns.Count} tab-separated fields but found {f.Length}", reader.Source, reader.LineNumber, columns.NameAt(f.Length));
        return f;
    }

    private static string AtomicName(string path)
    {
        string name = DataFile.Stem(path);
        return name.Length == 0 ? path : name;
    }
}
