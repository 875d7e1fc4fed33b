using System.Globalization;
using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Reads the LastFM artist data as split by LLaRA (SIGIR 2024): <c>sequences.tsv</c> (header
/// <c>split, user, item_ids</c>; one user per row with space-separated, chronological 0-based artist ids; users are
/// disjoint across train/valid/test) and <c>id2name.txt</c> (<c>id::artist name</c>). There are no timestamps.
/// The project ships this data; see <see cref="EmbeddedDatasets.LastFm"/>.
/// </summary>
public static class LastFmReader
{
    /// <summary>The id LLaRA pads short histories with; it is not an artist and is skipped where it occurs.</summary>
    public const int PaddingId = 4606;

    /// <summary>Reads the two files of a folder.</summary>
    /// <param name="folder">A folder with <c>sequences.tsv</c> and <c>id2name.txt</c>.</param>
    /// <returns>Artists and per-user sequences with their split.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or a sequence names an unknown artist.</exception>
    public static SequenceData Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string names = DataFile.Resolve(folder, "id2name.txt"), sequences = DataFile.Resolve(folder, "sequences.tsv");
        using var namesReader = TextLineReader.Open(names);
        using var sequencesReader = TextLineReader.Open(sequences);
        return Read(namesReader, sequencesReader);
    }

    /// <summary>Reads a folder and builds a dataset with LLaRA's split (<see cref="SplitProtocol.Predefined"/> by default).</summary>
    /// <param name="folder">A folder with <c>sequences.tsv</c> and <c>id2name.txt</c>.</param>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or the options leave no sample.</exception>
    public static RecommendationDataset Load(string folder, DatasetOptions? options = null)
    {
        var data = Read(folder);
        return RecommendationDatasetBuilder.FromSequences(data.Name, data.Catalog, data.Sequences, RecommendationDomain.Artists, options);
    }

    internal static SequenceData Read(TextLineReader names, TextLineReader sequences)
    {
        var items = new List<CatalogItem>();
        var lines = new ItemIdLines(names.Source, "id", "artist");
        while (names.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            int separator = line.IndexOf("::", StringComparison.Ordinal);
            if (separator < 0)
                throw new DatasetFormatException("expected 'id::name'", names.Source, names.LineNumber, "name");
            string id = FieldParser.Required(line[..separator], "id", names.Source, names.LineNumber);
            FieldParser.Long(id, "id", names.Source, names.LineNumber);
            string title = line[(separator + 2)..].Trim();
            if (title.Length == 0)
                throw new DatasetFormatException($"artist {id} has no name", names.Source, names.LineNumber, "name");
            // Inside a line it is no byte-order mark but a sign of files pasted together; the title would look the same as
            // another and never match it.
            if (title.Contains('\uFEFF', StringComparison.Ordinal))
                throw new DatasetFormatException($"artist {id}'s name holds a byte-order mark (U+FEFF)", names.Source, names.LineNumber, "name");
            lines.Add(id, names.LineNumber);
            items.Add(new CatalogItem(items.Count, id, title));
        }
        var catalog = new ItemCatalog(items, names.Source);

        string? header = sequences.ReadLine();
        if (header is null)
            throw new DatasetFormatException("the file is empty", sequences.Source, 1);
        var columns = new ColumnMap(header.Split('\t'), sequences.Source);
        int splitColumn = columns.Require("split"), userColumn = columns.Require("user"), itemsColumn = columns.Require("item_ids");
        string padding = PaddingId.ToString(CultureInfo.InvariantCulture);
        var result = new List<UserSequence>();
        // LLaRA's users are disjoint across splits; a repeated one would see its own future in training.
        var users = new Dictionary<string, (long Line, DataSplit Split)>(StringComparer.Ordinal);
        while (sequences.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = line.Split('\t');
            if (f.Length != columns.Count)
                throw new DatasetFormatException($"expected {columns.Count} tab-separated fields but found {f.Length}", sequences.Source, sequences.LineNumber, columns.NameAt(f.Length));
            DataSplit split = f[splitColumn] switch
            {
                "train" => DataSplit.Train,
                "valid" => DataSplit.Valid,
                "test" => DataSplit.Test,
                var other => throw new DatasetFormatException($"unknown split '{other}' (expected train, valid or test)", sequences.Source, sequences.LineNumber, "split"),
            };
            var ids = new List<int>();
            foreach (string token in f[itemsColumn].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (token == padding)
                    continue;
                if (!catalog.TryGetIndex(token, out int index))
                    throw new DatasetFormatException($"artist id '{token}' is not in the artist list", sequences.Source, sequences.LineNumber, "item_ids");
                ids.Add(index);
            }
            if (ids.Count == 0)
                throw new DatasetFormatException("the sequence is empty", sequences.Source, sequences.LineNumber, "item_ids");
            string user = FieldParser.Required(f[userColumn], "user", sequences.Source, sequences.LineNumber);
            if (!users.TryAdd(user, (sequences.LineNumber, split)))
                throw new DatasetFormatException($"user '{user}' is listed twice, on line {users[user].Line} ({users[user].Split}) and on line {sequences.LineNumber} ({split})", sequences.Source, sequences.LineNumber, "user");
            result.Add(new UserSequence(user, ids, null, split));
        }
        if (result.Count == 0)
            throw new DatasetFormatException("the file holds no sequence", sequences.Source, sequences.LineNumber);
        return new SequenceData("lastfm", catalog, result);
    }
}
