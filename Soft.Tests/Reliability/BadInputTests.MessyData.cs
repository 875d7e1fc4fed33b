using System.IO.Compression;
using System.Text;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Tests.Data;
using DataFolder = Soft.Tests.Data.TempFolder;

namespace Soft.Tests.Reliability;

/// <summary>
/// Messy real data (issue #21): files as their publishers ship them (gzip, Zstandard, Amazon's, MovieLens', RecBole's,
/// Yelp's and Steam's layouts), read with a report of what was dropped and why, or refused with the file and line;
/// and a failed run that can be fixed and rerun.
/// </summary>
public sealed partial class BadInputTests
{
    // Small enough that every fixture makes samples: a one-item history and no subset.
    private static readonly DatasetOptions Small = new() { HistoryLength = 1, TrainSubset = null, ValidSubset = null, TestSubset = null };

    private const string AmazonHeader = "user_id,parent_asin,rating,timestamp\n";

    // Three users who each rate B1, B2, B3 in that order (timestamps in milliseconds, as Amazon 2023 writes them).
    private const string AmazonRatings = AmazonHeader + "A,B1,5,1000\nA,B2,4,2000\nA,B3,3,3000\nB,B1,5,1000\nB,B2,4,2000\nB,B3,5,3000\nC,B1,1,1000\nC,B2,2,2000\nC,B3,3,3000\n";

    private const string AmazonMeta = "{\"parent_asin\": \"B1\", \"title\": \"Halo\"}\n{\"parent_asin\": \"B2\", \"title\": \"Zelda\"}\n{\"parent_asin\": \"B3\", \"title\": \"Portal\"}\n";

    /// <summary>Messy data that is read: the report must say each fragment (and none of <paramref name="Not"/>).</summary>
    public sealed record Reading(Func<RecommendationDataset> Load, string[] Says, string[]? Not = null);

    private static readonly Dictionary<string, Func<DataFolder, Reading>> MessyReadings = new()
    {
        // Rows of the table.
        ["Amazon 2023 as shipped: meta_*.jsonl.gz and *.csv.gz"] = t =>
        {
            t.WriteBytes("Video_Games.csv.gz", Gzip(AmazonRatings));
            t.WriteBytes("meta_Video_Games.jsonl.gz", Gzip(AmazonMeta));
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["read: Video_Games.csv.gz (gzip", "meta_Video_Games.jsonl.gz (gzip", "dropped: nothing"]);
        },
        ["Amazon 2023: items with a null, missing or blank title"] = t =>
        {
            Amazon(t, AmazonRatings + "A,B4,5,4000\nB,B5,5,4000\nC,B6,5,4000\nC,B6,4,5000\n",
                AmazonMeta + "{\"parent_asin\": \"B4\", \"title\": null}\n{\"parent_asin\": \"B5\"}\n{\"parent_asin\": \"B6\", \"title\": \"  \"}\n");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["no title: 3 items dropped with their 4 interactions", "item 'B4'", "meta_Video_Games.jsonl line 4"]);
        },
        ["Amazon 2023: a review whose parent_asin is not in the metadata"] = t =>
        {
            Amazon(t, AmazonRatings + "A,B9,5,4000\n", AmazonMeta);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["unknown item: 1 interaction dropped naming 1 item the item list does not hold", "item 'B9'", "Video_Games.csv line 11"]);
        },
        ["RecBole benchmark: the training file copied over the validation file"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.RecBoleBenchmark, t);
            File.Copy(t.File("Scientific.train.inter"), t.File("Scientific.valid.inter"), overwrite: true);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["4 of the 4 valid rows (100 %) are also train rows"]);
        },

        // Further messy data from public layouts.
        ["MovieLens 1M with its .dat files gzipped"] = t =>
        {
            Recompress(t, DatasetFormat.MovieLens1M, Gzip, ".gz");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["ratings.dat.gz (gzip", "movies.dat.gz (gzip"]);
        },
        ["MovieLens 20M with ratings.csv.zst and its other files beside"] = t =>
        {
            Recompress(t, DatasetFormat.MovieLensLatest, Zstd, ".zst");
            t.Write("links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n");
            t.Write("tags.csv", "userId,movieId,tag,timestamp\n1,1,pixar,1139045764\n");
            t.Write("genome-scores.csv", "movieId,tagId,relevance\n1,1,0.025\n");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["ratings.csv.zst (zstd", "movies.csv.zst (zstd"]);
        },
        ["a plain-named file that holds gzip bytes (a download saved without its .gz)"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.MovieLens100K, t);
            t.WriteBytes("u.data", Gzip(File.ReadAllText(t.File("u.data"))));
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["u.data (gzip"]);
        },
        ["a folder with ratings.csv and the ratings.csv.gz it was unpacked from"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.MovieLensLatest, t);
            t.WriteBytes("ratings.csv.gz", Gzip("userId,movieId,rating,timestamp\n"));
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["read: ratings.csv ("], ["ratings.csv.gz"]);
        },
        ["MovieLens 1M: a movie with an empty title"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.MovieLens1M, t);
            t.WriteBytes("movies.dat", Encoding.Latin1.GetBytes(File.ReadAllText(t.File("movies.dat"), Encoding.Latin1).Replace("3::Portal (1999)::", "3:: ::", StringComparison.Ordinal)));
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["no title: 1 item dropped with their", "item '3'", "movies.dat line 3"]);
        },
        ["Amazon 2023: a rating row repeated"] = t =>
        {
            Amazon(t, AmazonRatings + "A,B3,3,3000\nA,B3,3,3000\n", AmazonMeta);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["duplicate: 2 interactions dropped identical to an earlier row", "Video_Games.csv line 11"]);
        },
        ["Amazon 2023: ratings with a byte-order mark and CRLF line ends (saved by Excel)"] = t =>
        {
            t.WriteBytes("Video_Games.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(AmazonRatings.Replace("\n", "\r\n", StringComparison.Ordinal))]);
            t.Write("meta_Video_Games.jsonl", AmazonMeta);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["dropped: nothing"]);
        },
        ["Amazon 2023: one-off reviewers give no sample"] = t =>
        {
            Amazon(t, AmazonRatings + "Z,B1,5,9000\n", AmazonMeta);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["too short: 1 user dropped with a single interaction", "user 'Z'"]);
        },
        ["Amazon 2023: a k-core is reported, not warned about"] = t =>
        {
            Amazon(t, AmazonRatings + "Z,B1,5,9000\n", AmazonMeta);
            return new(() => DatasetFolder.Load(t.Path, options: Small with { KCore = 2 }), ["k-core: 1 interaction dropped with 1 users and 0 items", "(the 2-core asked for)"], ["too short"]);
        },
        ["RecBole atomic files gzipped"] = t =>
        {
            Recompress(t, DatasetFormat.RecBoleAtomic, Gzip, ".gz");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["games.inter.gz (gzip", "games.item.gz (gzip"]);
        },
        ["RecBole atomic: an item with a blank title"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.RecBoleAtomic, t);
            t.Write("games.item", File.ReadAllText(t.File("games.item")).Replace("2\tZelda", "2\t ", StringComparison.Ordinal));
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["no title: 1 item dropped", "item '2'", "games.item line 3"]);
        },
        ["RecBole benchmark (UniSRec): an item with a blank text no row uses"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.RecBoleBenchmark, t);
            File.AppendAllText(t.File("Scientific.text"), "ASIN99\t \n");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["no title: 1 item dropped", "item 'ASIN99'", "Scientific.text line 16"]);
        },
        ["RecBole benchmark: the validation file copied over the test file"] = t =>
        {
            FormatFixtures.Write(DatasetFormat.RecBoleBenchmark, t);
            File.Copy(t.File("Scientific.valid.inter"), t.File("Scientific.test.inter"), overwrite: true);
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["4 of the 4 test rows (100 %) are also valid rows"]);
        },
        ["D3/BIGRec CSVs gzipped"] = t =>
        {
            Recompress(t, DatasetFormat.D3Csv, Gzip, ".gz");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["Games.csv.gz (gzip", "Games.txt.gz (gzip"]);
        },
        ["LastFM files compressed with Zstandard"] = t =>
        {
            Recompress(t, DatasetFormat.LastFm, Zstd, ".zst");
            return new(() => DatasetFolder.Load(t.Path, options: Small), ["sequences.tsv.zst (zstd", "id2name.txt.zst (zstd"]);
        },
    };

    private static readonly Dictionary<string, Func<DataFolder, Rejection>> MessyRejections = new()
    {
        ["strict mode: an item without a title"] = t =>
        {
            Amazon(t, AmazonRatings + "A,B4,5,4000\n", AmazonMeta + "{\"parent_asin\": \"B4\", \"title\": null}\n");
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small with { Strict = true }), "meta_Video_Games.jsonl", "line 4", "no title", "strict");
        },
        ["strict mode: a review of an item the metadata lacks"] = t =>
        {
            Amazon(t, AmazonRatings + "A,B9,5,4000\n", AmazonMeta);
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small with { Strict = true }), "Video_Games.csv", "line 11", "unknown item", "strict");
        },
        ["a gzip file cut off in the middle"] = t =>
        {
            byte[] whole = Gzip(AmazonRatings + string.Concat(Enumerable.Range(0, 2000).Select(i => $"U{i},B1,5,{i}\n")));
            string path = t.WriteBytes("Video_Games.csv.gz", whole[..(whole.Length / 2)]);
            t.Write("meta_Video_Games.jsonl", AmazonMeta);
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), path, "compressed data is damaged");
        },
        ["a Zstandard file cut off in the middle"] = t =>
        {
            byte[] whole = Zstd(AmazonRatings + string.Concat(Enumerable.Range(0, 2000).Select(i => $"U{i},B1,5,{i}\n")));
            string path = t.WriteBytes("Video_Games.csv.zst", whole[..(whole.Length / 2)]);
            t.Write("meta_Video_Games.jsonl", AmazonMeta);
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), path, "compressed data is damaged");
        },
        ["Amazon 2018 metadata: items named 'asin', not 'parent_asin'"] = t =>
        {
            Amazon(t, AmazonRatings, "{\"asin\": \"B1\", \"title\": \"Halo\"}\n");
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), "meta_Video_Games.jsonl", "line 1", "'parent_asin'", "Amazon 2014/2018");
        },
        ["Amazon 2014 metadata: Python dict literals, not JSON"] = t =>
        {
            Amazon(t, AmazonRatings, "{'asin': 'B1', 'title': 'Halo'}\n");
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), "meta_Video_Games.jsonl", "line 1", "Python dict literal", "Amazon 2014");
        },
        ["Amazon 2018 ratings-only CSV without a header"] = t =>
        {
            Amazon(t, "A1,B1,5.0,1390176000\nA2,B1,4.0,1390176001\n", AmazonMeta);
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), "Video_Games.csv", "line 1", "'user_id'", "found: A1");
        },
        ["a Yelp folder: the format is refused with the files seen"] = t =>
        {
            t.Write("yelp_academic_dataset_review.json", "{\"review_id\": \"r\", \"user_id\": \"u\", \"business_id\": \"b\", \"stars\": 5}\n");
            t.Write("yelp_academic_dataset_business.json", "{\"business_id\": \"b\", \"name\": \"Cafe\"}\n");
            return Refuses<DatasetFormatException>(() => DatasetFolder.Detect(t.Path), "matches no dataset format", "Files seen: yelp_academic_dataset_business.json, yelp_academic_dataset_review.json");
        },
        ["a Steam folder of .json.gz files: the files seen say they are gzip"] = t =>
        {
            t.WriteBytes("australian_user_reviews.json.gz", Gzip("{'user_id': 'u', 'reviews': []}\n"));
            return Refuses<DatasetFormatException>(() => DatasetFolder.Detect(t.Path), "australian_user_reviews.json.gz (gzip: australian_user_reviews.json)", "u.data.gz");
        },
        ["Amazon 2023: a metadata line cut off says where, without the parser's position noise"] = t =>
        {
            Amazon(t, AmazonRatings, AmazonMeta + "{\"parent_asin\": \"B4\", \"tit");
            return Refuses<DatasetFormatException>(() => DatasetFolder.Load(t.Path, options: Small), "meta_Video_Games.jsonl", "line 4", "invalid JSON", "(at byte");
        },
    };

    public static TheoryData<string> MessyCases => new(MessyReadings.Keys);

    [Theory]
    [MemberData(nameof(MessyCases))]
    public void Messy_data_is_read_and_the_report_says_what_was_read_and_dropped(string name)
    {
        var reading = MessyReadings[name](_temp);

        var dataset = reading.Load();

        string report = string.Join('\n', dataset.Report.Lines());
        foreach (string fragment in reading.Says)
            report.Should().Contain(fragment);
        foreach (string fragment in reading.Not ?? [])
            report.Should().NotContain(fragment);
        // What the data did not ask for reaches the run's warning lines too; a k-core the options asked for does not.
        dataset.Warnings.Should().Equal([.. dataset.Report.Drops.Where(d => !d.ByOption).Select(d => d.ToString()), .. dataset.Report.Warnings]);
        DatasetReport.FromJson(dataset.Report.ToJson()).Should().BeEquivalentTo(dataset.Report);
    }

    [Fact]
    public void A_cut_off_jsonl_line_is_reported_without_the_parsers_line_0()
    {
        Amazon(_temp, AmazonRatings, AmazonMeta + "{\"parent_asin\": \"B4\", \"title\": \"Myst\", \"main_category\": \"Vid");

        var act = () => DatasetFolder.Load(_temp.Path, options: Small);

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().NotContain("LineNumber").And.NotContain("BytePositionInLine").And.Contain("line 4");
    }

    [Fact]
    public void A_run_that_finished_no_stage_is_replaced_by_the_rerun_of_a_fixed_input()
    {
        string run = _temp.File("run");
        Try(() => RunWithFailingBase(run, Titles("A", "B", "C")));
        string before = File.ReadAllText(Path.Combine(run, RunFolder.ConfigFileName));

        // The same command after the input was fixed: not refused for its "other configuration"; it gets as far as the base stage again.
        var rerun = () => RunWithFailingBase(run, Titles("A", "B (fixed)", "C"));

        rerun.Should().Throw<InvalidDataException>().WithMessage("broken build");
        File.ReadAllText(Path.Combine(run, RunFolder.ConfigFileName)).Should().NotBe(before, "the new configuration replaced the stub");
        File.Exists(Path.Combine(run, DatasetReport.FileName)).Should().BeTrue("the run writes its data report beside config.json");
    }

    [Fact]
    public void A_refused_run_names_the_settings_that_differ_and_how_to_start_afresh()
    {
        string run = _temp.File("run");
        Try(() => RunWithFailingBase(run, Titles("A", "B", "C")));
        FinishAStage(run);

        var other = () => RunWithFailingBase(run, Titles("A", "B", "C"), configure: o => o.Seed = 2);

        var refused = other.Should().Throw<RunConfigMismatchException>().Which;
        refused.Message.Should().Contain("options.Seed: 42 → 2").And.Contain("force a fresh run").And.Contain("1 finished stage");
        refused.Differences.Should().ContainSingle(d => d.Setting == "options.Seed");
        string cli = Soft.Samples.Quickstart.CliRunMismatch.Message(refused);
        cli.Should().Contain("--seed 42 → 2").And.Contain("--fresh").And.Contain("--out " + run);
        cli.Should().NotContain("forceFresh").And.NotContain("options.Seed");
    }

    // A stage the first run finished: what makes a run folder worth protecting.
    private static void FinishAStage(string run)
    {
        var folder = RunFolder.Open(run, File.ReadAllText(Path.Combine(run, RunFolder.ConfigFileName)));
        folder.Complete("base", [RunFolder.ConfigFileName]);
    }

    private static void Amazon(DataFolder temp, string ratings, string meta)
    {
        temp.Write("Video_Games.csv", ratings);
        temp.Write("meta_Video_Games.jsonl", meta);
    }

    // The format's fixture with every file replaced by its compressed copy (file.ext → file.ext.gz).
    private static void Recompress(DataFolder temp, DatasetFormat format, Func<string, byte[]> compress, string extension)
    {
        FormatFixtures.Write(format, temp);
        foreach (string file in Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories))
        {
            File.WriteAllBytes(file + extension, compress(File.ReadAllText(file, Encoding.Latin1)));
            File.Delete(file);
        }
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            gzip.Write(Encoding.Latin1.GetBytes(text));
        return buffer.ToArray();
    }

    private static byte[] Zstd(string text)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(Encoding.Latin1.GetBytes(text)).ToArray();
    }
}
