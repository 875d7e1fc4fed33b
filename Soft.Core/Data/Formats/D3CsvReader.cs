using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Reads the CSVs of BIGRec and D3 ("Decoding Matters"): <c>train/valid/test</c> files written by Python's
/// <c>csv</c> module with the columns <c>history_item_id</c> and <c>history_item_title</c> (Python list literals),
/// <c>item_id</c> and <c>item_title</c>, and optionally <c>user_id</c> and <c>timestamp</c>; plus the
/// <c>info/*.txt</c> item table (<c>title\tid</c>, <c>id\ttitle</c> or MiniOneRec's <c>code\ttitle\tid</c> per line; see
/// <see cref="ReadItemTable"/>). Without the item table, the catalogue is
/// gathered from the CSVs' own ids and titles.
/// </summary>
public static class D3CsvReader
{
    /// <summary>
    /// Reads the item table. Its layout is recognised from a header row or from the content of every row:
    /// <c>title\tid</c> (D3, BIGRec), <c>id\ttitle</c>, or <c>code\ttitle\tid</c> (MiniOneRec's semantic-id tables);
    /// a table that fits more than one layout, or none, is refused with the line that shows why.
    /// </summary>
    /// <param name="path">The <c>info/*.txt</c> file.</param>
    /// <returns>The catalogue, in file order, with item ids as written; a code column is recognised and ignored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">The layout cannot be told, a line is malformed, an id repeats, or the file is empty.</exception>
    public static ItemCatalog ReadItemTable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rows = new List<(long Line, string[] Fields)>();
        using (var reader = TextLineReader.Open(path))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Trim().Length > 0)
                    rows.Add((reader.LineNumber, line.Split('\t')));
            }
        }
        var layout = ItemTableLayout.Detect(rows, path);
        var items = new List<CatalogItem>();
        var lines = new ItemIdLines(path, "item_id", "item");
        foreach (var (line, fields) in layout.HasHeader ? rows.Skip(1) : rows)
        {
            var (rawId, rawTitle, _) = layout.Split(fields)
                ?? throw new DatasetFormatException($"expected the layout {layout.Name} but found {fields.Length} tab-separated fields", path, line);
            string id = FieldParser.Required(rawId, "item_id", path, line);
            FieldParser.Long(id, "item_id", path, line);
            string title = rawTitle.Trim();
            if (title.Length == 0)
                throw new DatasetFormatException($"item {id} has no title", path, line, "title");
            lines.Add(id, line);
            // The code is not kept: it is not text, and metadata is text the scratch model pre-trains on.
            items.Add(new CatalogItem(items.Count, id, title));
        }
        return new ItemCatalog(items, path);
    }

    /// <summary>Reads the three CSVs (and the item table when given) into a dataset with the files' split.</summary>
    /// <param name="trainCsv">The training CSV.</param>
    /// <param name="validCsv">The validation CSV.</param>
    /// <param name="testCsv">The test CSV.</param>
    /// <param name="itemTablePath">The <c>info/*.txt</c> item table, or <see langword="null"/> to gather items from the CSVs.</param>
    /// <param name="domain">The domain words.</param>
    /// <param name="options">History length, subsets and seed; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A row is malformed or names an item the item table lacks.</exception>
    public static RecommendationDataset Read(string trainCsv, string validCsv, string testCsv, string? itemTablePath, RecommendationDomain domain, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trainCsv);
        ArgumentNullException.ThrowIfNull(validCsv);
        ArgumentNullException.ThrowIfNull(testCsv);
        ArgumentNullException.ThrowIfNull(domain);
        var rows = new[] { trainCsv, validCsv, testCsv }.Select(ReadRows).ToArray();

        ItemCatalog catalog;
        if (itemTablePath is not null)
        {
            catalog = ReadItemTable(itemTablePath);
        }
        else
        {
            // First title seen for an id wins; ids appear in file order (train, valid, test).
            var items = new List<CatalogItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows.SelectMany(r => r))
            {
                foreach (var (id, title) in row.HistoryIds.Zip(row.HistoryTitles).Append((row.TargetId, row.TargetTitle)))
                {
                    if (seen.Add(id))
                        items.Add(new CatalogItem(items.Count, id, title));
                }
            }
            catalog = new ItemCatalog(items, trainCsv);
        }

        var samples = rows.Select(split => split.Select(row => new RecommendationSample(
            row.User,
            [.. row.HistoryIds.Select(id => Index(catalog, id, row, "history_item_id"))],
            Index(catalog, row.TargetId, row, "item_id"),
            row.Timestamp)).ToList()).ToArray();
        string name = DataFile.Stem(trainCsv);
        var dataset = RecommendationDatasetBuilder.FromSamples(name, catalog, samples[0], samples[1], samples[2], domain, options);
        var sameFile = SameFileWarnings(("train", trainCsv), ("valid", validCsv), ("test", testCsv));
        // One file given as two splits shares all its rows too: say the cause once, not again as an overlap.
        var overlaps = dataset.Report.Warnings.Where(w => !sameFile.Any(f => f.Pair.All(split => w.Contains($" {split} ", StringComparison.Ordinal))));
        dataset.Report = dataset.Report with { Warnings = [.. sameFile.Select(f => f.Warning), .. overlaps] };
        return dataset;
    }

    // Legal (a smoke run may reuse one file) but usually a slip: validation or test scores then measure training data.
    private static List<(string[] Pair, string Warning)> SameFileWarnings(params (string Split, string Path)[] files)
    {
        var warnings = new List<(string[], string)>();
        for (int a = 0; a < files.Length; a++)
        {
            for (int b = a + 1; b < files.Length; b++)
            {
                if (string.Equals(System.IO.Path.GetFullPath(files[a].Path), System.IO.Path.GetFullPath(files[b].Path), StringComparison.Ordinal))
                    warnings.Add(([files[a].Split, files[b].Split], $"{files[a].Path} is both the {files[a].Split} and the {files[b].Split} file: {files[b].Split} metrics will measure {files[a].Split} samples."));
            }
        }
        return warnings;
    }

    private static int Index(ItemCatalog catalog, string id, Row row, string field) =>
        catalog.TryGetIndex(id, out int index)
            ? index
            : throw new DatasetFormatException($"item {id} is not in the item table", row.Path, row.Line, field);

    private static List<Row> ReadRows(string path)
    {
        using var reader = TextLineReader.Open(path);
        var fields = new List<string>();
        if (!DelimitedRecord.TryReadCsv(reader, ',', fields, out _))
            throw new DatasetFormatException("the file is empty", path, 1);
        var columns = new ColumnMap(fields, path);
        int historyIds = columns.Require("history_item_id"), historyTitles = columns.Require("history_item_title");
        int targetId = columns.Require("item_id"), targetTitle = columns.Require("item_title");
        int? user = columns.Optional("user_id"), time = columns.Optional("timestamp");
        var rows = new List<Row>();
        while (DelimitedRecord.TryReadCsv(reader, ',', fields, out long line))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
                continue;
            if (fields.Count != columns.Count)
                throw new DatasetFormatException($"expected {columns.Count} fields but found {fields.Count}", path, line, columns.NameAt(fields.Count));
            var ids = ParseList(fields[historyIds], path, line, "history_item_id");
            var titles = ParseList(fields[historyTitles], path, line, "history_item_title");
            if (ids.Count == 0)
                throw new DatasetFormatException("the history is empty", path, line, "history_item_id");
            if (ids.Count != titles.Count)
                throw new DatasetFormatException($"{ids.Count} history ids but {titles.Count} history titles", path, line, "history_item_title");
            // Caught here, where the line is known; the catalogue would only be able to name the item.
            if (titles.FindIndex(string.IsNullOrWhiteSpace) is int blank and >= 0)
                throw new DatasetFormatException($"history item {ids[blank].Trim()} has an empty title", path, line, "history_item_title");
            if (string.IsNullOrWhiteSpace(fields[targetTitle]))
                throw new DatasetFormatException($"item {fields[targetId].Trim()} has an empty title", path, line, "item_title");
            rows.Add(new Row(
                path,
                line,
                user is { } u ? fields[u].Trim() : string.Empty,
                [.. ids.Select(i => i.Trim())],
                [.. titles.Select(t => t.Trim())],
                FieldParser.Required(fields[targetId], "item_id", path, line),
                fields[targetTitle].Trim(),
                time is { } t && fields[t].Length > 0 ? FieldParser.Timestamp(fields[t], "timestamp", path, line) : null));
        }
        return rows;
    }

    private static List<string> ParseList(string text, string path, long line, string field)
    {
        try
        {
            return PythonList.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new DatasetFormatException($"not a Python list: {ex.Message}", path, line, field, ex);
        }
    }

    private sealed record Row(string Path, long Line, string User, string[] HistoryIds, string[] HistoryTitles, string TargetId, string TargetTitle, long? Timestamp);
}
