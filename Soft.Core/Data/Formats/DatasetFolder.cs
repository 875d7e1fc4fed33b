using System.Text;
using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Recognises which published layout a dataset folder holds and loads it with the matching reader, so one
/// <c>--dataset &lt;folder&gt;</c> serves every supported format. Detection looks only at file names and, for CSVs, at the
/// header row; each file may be plain or compressed beside its plain name (<c>u.data.gz</c>, <c>meta_X.jsonl.zst</c>); it never guesses between two formats: a folder that matches several (or none) is refused with a
/// message that lists what each format expects.
/// </summary>
public static class DatasetFolder
{
    /// <summary>Every recognised format, in the order detection tries them.</summary>
    public static IReadOnlyList<DatasetFormatInfo> Formats { get; } =
    [
        new(DatasetFormat.LastFm, "lastfm", "LastFM as split by LLaRA", "sequences.tsv (split, user, item_ids) and id2name.txt (id::name)"),
        new(DatasetFormat.MovieLens100K, "movielens-100k", "MovieLens 100K", "u.data and u.item (u.genre optional)"),
        new(DatasetFormat.MovieLens1M, "movielens-1m", "MovieLens 1M", "ratings.dat and movies.dat"),
        new(DatasetFormat.MovieLensLatest, "movielens-latest", "MovieLens latest", "ratings.csv and movies.csv"),
        new(DatasetFormat.AmazonReviews2023, "amazon-2023", "Amazon Reviews 2023", "X.csv (user_id, parent_asin, rating, timestamp) and meta_X.jsonl"),
        new(DatasetFormat.RecBoleAtomic, "recbole-atomic", "RecBole atomic files", "X.inter (user_id, item_id, ...) and X.item or X.text"),
        new(DatasetFormat.RecBoleBenchmark, "recbole-benchmark", "RecBole sequential benchmark",
            "X.train.inter, X.valid.inter, X.test.inter (item_id_list, item_id) and X.item or X.text; UniSRec/CoWPiRec also X.item2index (X.user2index optional)"),
        new(DatasetFormat.D3Csv, "d3-csv", "D3/BIGRec CSVs",
            "train/, valid/, test/ with one CSV each (or train.csv, valid.csv, test.csv) with history_item_id, history_item_title, item_id, item_title; info/*.txt or info.txt optional"),
    ];

    /// <summary>The entry of <see cref="Formats"/> for <paramref name="format"/>.</summary>
    public static DatasetFormatInfo Info(DatasetFormat format) => Formats.Single(f => f.Format == format);

    /// <summary>Parses a <c>--format</c> name (see <see cref="DatasetFormatInfo.Name"/>; case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Formats"/>.</exception>
    public static DatasetFormat ParseFormat(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Formats.FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))?.Format
            ?? throw new ArgumentException($"Unknown dataset format '{name}'; formats: {string.Join(", ", Formats.Select(f => f.Name))}.", nameof(name));
    }

    /// <summary>Finds the format of <paramref name="folder"/>, or checks that it holds the files of <paramref name="format"/>.</summary>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="format">The format to use instead of detecting one; null to detect.</param>
    /// <returns>The format and the files its reader will open.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">
    /// The folder matches no format, several formats, or not the requested one; the message lists what each format expects.
    /// </exception>
    public static DatasetFolderMatch Detect(string folder, DatasetFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Dataset folder not found: {folder}");
        if (format is { } wanted)
        {
            var forced = Probe(wanted, folder);
            if (forced.Count == 1)
                return forced[0];
            throw new DatasetFormatException(forced.Count == 0
                ? $"the folder does not hold the files of {Info(wanted).Name}: it expects {Info(wanted).ExpectedFiles}"
                : $"the folder holds several {Info(wanted).Name} datasets ({string.Join(", ", forced.Select(m => m.Name))}); give a folder with one", folder);
        }
        var matches = Formats.SelectMany(f => Probe(f.Format, folder)).ToList();
        if (matches.Count == 1)
            return matches[0];
        var message = new StringBuilder(matches.Count == 0
            ? "the folder matches no dataset format."
            : $"the folder matches more than one dataset format ({string.Join("; ", matches.Select(m => $"{m.Description}: {string.Join(", ", m.Files.Select(Path.GetFileName))}"))}); choose one with --format.");
        message.Append(' ').Append(FilesSeen(folder));
        message.Append(" Formats and the files each expects (each may also be gzip- or Zstandard-compressed, e.g. u.data.gz):");
        foreach (var f in Formats)
            message.Append(CultureInvariant($"\n  {f.Name,-18} {f.ExpectedFiles}"));
        throw new DatasetFormatException(message.ToString(), folder);
    }

    /// <summary>Detects (or checks) the format of <paramref name="folder"/> and loads it.</summary>
    /// <param name="folder">The dataset folder.</param>
    /// <param name="format">The format to use instead of detecting one; null to detect.</param>
    /// <param name="options">Processing options; null for the defaults.</param>
    /// <param name="domain">The prompt's words for the items; null to choose from the format and name (see <see cref="RecommendationDomain.ForDataset"/>).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">The format cannot be told, or a file is malformed.</exception>
    public static RecommendationDataset Load(string folder, DatasetFormat? format = null, DatasetOptions? options = null, RecommendationDomain? domain = null) =>
        Load(Detect(folder, format), options, domain);

    /// <summary>Loads a folder whose format is already detected.</summary>
    /// <param name="match">What <see cref="Detect"/> found.</param>
    /// <param name="options">Processing options; null for the defaults.</param>
    /// <param name="domain">The prompt's words for the items; null to choose from the format and name.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">A file is malformed.</exception>
    public static RecommendationDataset Load(DatasetFolderMatch match, DatasetOptions? options = null, RecommendationDomain? domain = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var words = domain ?? RecommendationDomain.ForDataset(match.Format, match.Name);
        var files = match.Files;
        var dataset = match.Format switch
        {
            DatasetFormat.LastFm => FromSequences(LastFmReader.Read(match.Folder), words, options),
            DatasetFormat.MovieLens100K => RecommendationDatasetBuilder.FromInteractions(MovieLensReader.Read100K(match.Folder), words, options),
            DatasetFormat.MovieLens1M => RecommendationDatasetBuilder.FromInteractions(MovieLensReader.Read1M(match.Folder), words, options),
            DatasetFormat.MovieLensLatest => RecommendationDatasetBuilder.FromInteractions(MovieLensReader.ReadLatest(match.Folder), words, options),
            DatasetFormat.AmazonReviews2023 => AmazonReviewsReader.Load(files[0], files[1], words, options),
            DatasetFormat.RecBoleAtomic => RecommendationDatasetBuilder.FromInteractions(RecBoleReader.ReadAtomic(files[0], files[1]), words, options),
            DatasetFormat.RecBoleBenchmark => RecBoleReader.ReadBenchmark(match.Folder, match.Name, words, options),
            DatasetFormat.D3Csv => D3CsvReader.Read(files[0], files[1], files[2], files.Count > 3 ? files[3] : null, words, options),
            _ => throw new ArgumentOutOfRangeException(nameof(match), match.Format, "Unknown dataset format."),
        };
        dataset.Report = dataset.Report with { Files = [.. files.Select(Describe)] };
        return dataset;
    }

    private static DatasetReportFile Describe(string path) =>
        new(path, CompressedInput.KindOf(path), new FileInfo(path).Length);

    private static RecommendationDataset FromSequences(SequenceData data, RecommendationDomain domain, DatasetOptions? options) =>
        RecommendationDatasetBuilder.FromSequences(data.Name, data.Catalog, data.Sequences, domain, options);

    private static List<DatasetFolderMatch> Probe(DatasetFormat format, string folder)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        string F(string file) => DataFile.Resolve(folder, file);
        bool Has(string file) => DataFile.Exists(folder, file);
        List<DatasetFolderMatch> Both(string a, string b) =>
            Has(a) && Has(b) ? [new(format, folder, name, [F(a), F(b)])] : [];
        string ItemFile(string n) => Has(n + ".item") ? F(n + ".item") : F(n + ".text");
        switch (format)
        {
            case DatasetFormat.LastFm:
                return Both("sequences.tsv", "id2name.txt");
            case DatasetFormat.MovieLens100K:
                return Both("u.data", "u.item");
            case DatasetFormat.MovieLens1M:
                return Both("ratings.dat", "movies.dat");
            case DatasetFormat.MovieLensLatest:
                return Both("ratings.csv", "movies.csv");
            case DatasetFormat.AmazonReviews2023:
                return [.. DataFile.WithSuffix(folder, ".jsonl")
                    .Where(m => m.PlainName.StartsWith("meta_", StringComparison.Ordinal))
                    .Select(m => (Meta: m.Path, Category: m.PlainName["meta_".Length..^".jsonl".Length]))
                    .Where(m => Has(m.Category + ".csv"))
                    .Select(m => new DatasetFolderMatch(format, folder, m.Category, [F(m.Category + ".csv"), m.Meta]))];
            case DatasetFormat.RecBoleAtomic:
                return [.. DataFile.WithSuffix(folder, ".inter")
                    .Where(f => !IsBenchmarkSplit(f.PlainName))
                    .Select(f => f.PlainName[..^".inter".Length])
                    .Where(n => Has(n + ".item") || Has(n + ".text"))
                    .Select(n => new DatasetFolderMatch(format, folder, n, [F(n + ".inter"), ItemFile(n)]))];
            case DatasetFormat.RecBoleBenchmark:
                return [.. DataFile.WithSuffix(folder, ".train.inter")
                    .Select(f => f.PlainName[..^".train.inter".Length])
                    .Where(n => Has(n + ".valid.inter") && Has(n + ".test.inter") && (Has(n + ".item") || Has(n + ".text")))
                    .Select(n => new DatasetFolderMatch(format, folder, n,
                        [F(n + ".train.inter"), F(n + ".valid.inter"), F(n + ".test.inter"), ItemFile(n),
                            .. new[] { ".item2index", ".user2index" }.Where(ext => Has(n + ext)).Select(ext => F(n + ext))]))];
            case DatasetFormat.D3Csv:
                return D3Files(folder) is { } d3 ? [new(format, folder, CompressedInput.PlainName(Path.GetFileName(d3[0]))[..^".csv".Length], d3)] : [];
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset format.");
        }
    }

    private static bool IsBenchmarkSplit(string fileName) =>
        fileName.EndsWith(".train.inter", StringComparison.Ordinal) || fileName.EndsWith(".valid.inter", StringComparison.Ordinal) || fileName.EndsWith(".test.inter", StringComparison.Ordinal);

    /// <summary>The train, valid and test CSVs (and the item table when there is one) of a D3/BIGRec folder, or null.</summary>
    private static List<string>? D3Files(string folder)
    {
        string? One(string sub, string suffix)
        {
            string dir = Path.Combine(folder, sub);
            if (!Directory.Exists(dir))
                return null;
            var found = DataFile.WithSuffix(dir, suffix).ToList();
            return found.Count == 1 ? found[0].Path : null;
        }
        string? Csv(string split) => DataFile.Find(folder, split + ".csv") ?? One(split, ".csv");
        var splits = new[] { Csv("train"), Csv("valid"), Csv("test") };
        if (splits.Any(s => s is null) || !HeaderHas(splits[0]!, "history_item_title"))
            return null;
        string? info = DataFile.Find(folder, "info.txt") ?? One("info", ".txt");
        var files = splits.Select(s => s!).ToList();
        if (info is not null)
            files.Add(info);
        return files;
    }

    private static bool HeaderHas(string csv, string column)
    {
        using var reader = TextLineReader.Open(csv);
        try
        {
            return reader.ReadLine()?.Split(',').Any(c => c.Trim().Trim('"') == column) == true;
        }
        catch (DatasetFormatException)
        {
            // A header that is not text is no D3 header; the folder then matches no format, and the message lists its files.
            return false;
        }
    }

    /// <summary>What the folder holds, for a message that says no format matched: the user sees what was looked at.</summary>
    private static string FilesSeen(string folder)
    {
        const int Shown = 20;
        var entries = Directory.EnumerateFileSystemEntries(folder)
            .Select(e => Directory.Exists(e) ? Path.GetFileName(e) + "/" : DescribeFile(e))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0)
            return "The folder is empty.";
        string more = entries.Count > Shown ? CultureInvariant($", and {entries.Count - Shown} more") : "";
        return $"Files seen: {string.Join(", ", entries.Take(Shown))}{more}.";
    }

    private static string DescribeFile(string path)
    {
        string name = Path.GetFileName(path);
        string kind;
        try
        {
            kind = CompressedInput.KindOf(path);
        }
        catch (IOException)
        {
            return name;
        }
        catch (UnauthorizedAccessException)
        {
            return name;
        }
        return kind == "none" ? name : $"{name} ({kind}: {CompressedInput.PlainName(name)})";
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
