using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Metrics;
using Soft.Metrics.Constrained;
using Soft.Models;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Tests.Training;
using Soft.Training;
using static TorchSharp.torch;
using DataFolder = Soft.Tests.Data.TempFolder;

namespace Soft.Tests.Reliability;

/// <summary>
/// Issue #7, bad input: every case below is refused with a specific exception type whose message names the input
/// (file, line, field or option), and leaves nothing at an output path; or, where the input is legitimate though
/// unusual (quotes, line breaks and non-Latin scripts in titles, K above the catalogue size), it is handled exactly.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class BadInputTests : IDisposable
{
    private readonly DataFolder _temp = new();

    public BadInputTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    /// <summary>What a bad input must produce.</summary>
    /// <param name="Act">Reads, validates or writes the input.</param>
    /// <param name="Exception">The exact exception type.</param>
    /// <param name="Names">Fragments the message must contain: the file, line, field or option.</param>
    /// <param name="Output">A file the call was asked to write, which must not exist afterwards (nor a temp file beside it).</param>
    public sealed record Rejection(Action Act, Type Exception, string[] Names, string? Output = null);

    private static Rejection Refuses<TException>(Action act, params string[] names) where TException : Exception => new(act, typeof(TException), names);

    private static readonly Dictionary<string, Func<DataFolder, Rejection>> Rejections = new()
    {
        // Model folders and safetensors files.
        ["safetensors truncated"] = t =>
        {
            string folder = CopyStories(t, "truncated");
            string file = Path.Combine(folder, "model.safetensors");
            byte[] bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
            return Refuses<InvalidDataException>(() => TorchLanguageModel.Load(folder), file, "truncated or corrupt");
        },
        ["safetensors shorter than its length prefix"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", [1, 0, 0])), "w.safetensors", "too short"),
        ["safetensors header length beyond the file"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors("{}", 0, headerLength: 1 << 20))), "w.safetensors", "header length 1048576"),
        ["safetensors header not JSON"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors("{\"w\": {\"dtype\": ", 8))), "w.safetensors", "not valid JSON"),
        ["safetensors header a JSON array"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors("[1, 2]", 8))), "w.safetensors", "not a JSON object"),
        ["safetensors entry not an object"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors("{\"w\": 3}", 8))), "w.safetensors", "'w'", "not a JSON object"),
        ["safetensors data offsets past the end"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[2]", "[0, 8]"), 4))), "w.safetensors", "'w'", "data_offsets [0, 8]"),
        ["safetensors negative data offset"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[2]", "[-8, 0]"), 8))), "w.safetensors", "'w'", "data_offsets [-8, 0]"),
        ["safetensors offsets not matching the shape"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[3]", "[0, 8]"), 8))), "w.safetensors", "'w'", "needs 12 bytes"),
        ["safetensors negative dimension"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[-2]", "[0, 8]"), 8))), "w.safetensors", "'w'", "negative dimension"),
        ["safetensors shape too large to allocate"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[4294967296, 4294967296]", "[0, 8]"), 8))), "w.safetensors", "'w'", "too large"),
        ["safetensors shape with a string"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F32", "[\"2\"]", "[0, 8]"), 8))), "w.safetensors", "'w'", "shape[0]"),
        ["safetensors unknown dtype"] = t =>
            Refuses<InvalidDataException>(() => SafetensorsFile.Read(t.WriteBytes("w.safetensors", Safetensors(Entry("F8", "[2]", "[0, 2]"), 2))), "w.safetensors", "'w'", "'F8'"),
        ["tensor of the wrong shape for config.json"] = t =>
        {
            string folder = CopyStories(t, "shape", tensors => tensors["model.norm.weight"] = zeros(63));
            return Refuses<InvalidDataException>(() => TorchLanguageModel.Load(folder), folder, "config.json", "'model.norm.weight'", "[63]", "[64]");
        },
        ["config.json field of the wrong type"] = t =>
        {
            string folder = CopyStories(t, "config");
            string config = Path.Combine(folder, "config.json");
            File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 64", "\"hidden_size\": \"64\"", StringComparison.Ordinal));
            return Refuses<InvalidDataException>(() => TorchLanguageModel.Load(folder), config, "hidden_size");
        },
        ["missing tokenizer"] = t =>
        {
            string folder = CopyStories(t, "no-tokenizer");
            File.Delete(Path.Combine(folder, "tokenizer.model"));
            return Refuses<FileNotFoundException>(() => TorchLanguageModel.Load(folder), folder, "tokenizer.model", "tokenizer.json");
        },
        ["pickled checkpoint without opt-in"] = t =>
        {
            string folder = CopyStories(t, "pickled");
            File.Move(Path.Combine(folder, "model.safetensors"), Path.Combine(folder, "pytorch_model.bin"));
            return Refuses<InvalidDataException>(() => TorchLanguageModel.Load(folder), "pytorch_model.bin", nameof(ModelLoadOptions.AllowPickledCheckpoints));
        },

        // Dataset files.
        ["MovieLens u.data non-numeric rating"] = t =>
        {
            MovieLens100K(t, "1\t10\tfive\t881250949\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.data", "line 1", "'rating'", "'five'");
        },
        ["MovieLens u.data missing field"] = t =>
        {
            MovieLens100K(t, "1\t10\t5\t881250949\n2\t10\t4\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.data", "line 2", "'timestamp'");
        },
        ["MovieLens u.data unknown movie"] = t =>
        {
            MovieLens100K(t, "1\t10\t5\t881250949\n1\t99\t3\t881250950\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.data", "line 2", "'item_id'", "movie 99");
        },
        ["MovieLens movies.csv unclosed quote"] = t =>
        {
            t.Write("movies.csv", "movieId,title,genres\n1,\"Toy Story (1995),Comedy\n2,Heat (1995),Action\n");
            t.Write("ratings.csv", "userId,movieId,rating,timestamp\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.ReadLatest(t.Path), "movies.csv", "line 2", "not closed");
        },
        ["LastFM sequences.tsv missing column"] = t =>
        {
            LastFm(t, "split\tuser\ntrain\tu0\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 1", "'item_ids'");
        },
        ["LastFM row missing a field"] = t =>
        {
            LastFm(t, "split\tuser\titem_ids\ntrain\tu0\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 2", "'item_ids'");
        },
        ["LastFM unknown artist id"] = t =>
        {
            LastFm(t, "split\tuser\titem_ids\ntrain\tu0\t0 1\ntest\tu1\t1 5 0\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 3", "'item_ids'", "'5'");
        },
        ["LastFM unknown split"] = t =>
        {
            LastFm(t, "split\tuser\titem_ids\ntraining\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 2", "'split'", "'training'");
        },
        ["LastFM id2name invalid UTF-8"] = t =>
        {
            t.WriteBytes("id2name.txt", [.. "0::A\n1::B\n2::Caf"u8.ToArray(), 0xE9, .. "\n"u8.ToArray()]);
            t.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "id2name.txt", "line 3", "utf-8");
        },
        ["LastFM empty catalogue"] = t =>
        {
            t.Write("id2name.txt", "");
            t.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "id2name.txt", "catalogue is empty");
        },
        ["LastFM empty title"] = t =>
        {
            t.Write("id2name.txt", "0::A\n1:: \n");
            t.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "id2name.txt", "line 2", "'name'", "artist 1");
        },
        ["LastFM history of length 0 (only padding)"] = t =>
        {
            LastFm(t, $"split\tuser\titem_ids\ntrain\tu0\t0 1\ntrain\tu1\t{LastFmReader.PaddingId}\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 3", "'item_ids'", "empty");
        },
        ["D3 CSV empty item title"] = t =>
        {
            string train = t.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[10]\",\"['A']\",12,C\n\"[12]\",\"['C']\",11,\n");
            string other = t.Write("other.csv", "history_item_id,history_item_title,item_id,item_title\n");
            return Refuses<DatasetFormatException>(() => D3CsvReader.Read(train, other, other, null, RecommendationDomain.VideoGames), "train.csv", "line 3", "'item_title'", "item 11");
        },
        ["D3 CSV empty history title"] = t =>
        {
            string train = t.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[10, 11]\",\"['A', '']\",12,C\n");
            string other = t.Write("other.csv", "history_item_id,history_item_title,item_id,item_title\n");
            return Refuses<DatasetFormatException>(() => D3CsvReader.Read(train, other, other, null, RecommendationDomain.VideoGames), "train.csv", "line 2", "'history_item_title'", "item 11");
        },
        ["D3 CSV history of length 0"] = t =>
        {
            string train = t.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[]\",\"[]\",12,C\n");
            string other = t.Write("other.csv", "history_item_id,history_item_title,item_id,item_title\n");
            return Refuses<DatasetFormatException>(() => D3CsvReader.Read(train, other, other, null, RecommendationDomain.VideoGames), "train.csv", "line 2", "'history_item_id'", "empty");
        },
        ["Amazon ratings missing a column"] = t =>
        {
            string ratings = t.Write("r.csv", "user_id,asin,rating,timestamp\nA,B,5,1\n");
            string meta = t.Write("m.jsonl", "");
            return Refuses<DatasetFormatException>(() => AmazonReviewsReader.Read(ratings, meta), "r.csv", "line 1", "'parent_asin'");
        },
        ["history length option 0"] = _ =>
            Refuses<ArgumentOutOfRangeException>(() => EmbeddedDatasets.LastFm(new DatasetOptions { HistoryLength = 0 }), nameof(DatasetOptions.HistoryLength)),
        ["samples made in code with an empty history"] = _ =>
        {
            var catalog = new ItemCatalog([new CatalogItem(0, "a", "A"), new CatalogItem(1, "b", "B")], "code");
            return Refuses<DatasetFormatException>(
                () => RecommendationDatasetBuilder.FromSamples("code", catalog, [new RecommendationSample("u7", [], 1)], [], [], RecommendationDomain.Artists),
                "'history'", "user 'u7'");
        },

        // D̂ and the training job.
        ["distilled file with no rows"] = t =>
            Refuses<InvalidDataException>(() => DistilledDatasetFile.Read(t.Write(DistilledDatasetFile.FileName, "\n\n")), DistilledDatasetFile.FileName, "empty"),
        ["distilled file with a broken row"] = t =>
            Refuses<InvalidDataException>(() => DistilledDatasetFile.Read(t.Write(DistilledDatasetFile.FileName, DistilledDatasetFile.ToLine(Distilled(0)) + "{\"sampleIndex\": 1,\n")), DistilledDatasetFile.FileName, "line 2"),
        ["writing an empty distilled set"] = t =>
        {
            string path = t.File(DistilledDatasetFile.FileName);
            return Refuses<ArgumentException>(() => DistilledDatasetFile.Write(path, []), path, "empty") with { Output = path };
        },
        ["writing distilled examples out of order"] = t =>
        {
            string path = t.File(DistilledDatasetFile.FileName);
            return Refuses<ArgumentException>(() => DistilledDatasetFile.Write(path, [Distilled(0), Distilled(2)]), path, "examples[1]", "sampleIndex 2") with { Output = path };
        },
        ["training with an empty distilled set"] = t =>
        {
            var real = TrainingTestKit.Pairs(4);
            return Refuses<ArgumentException>(() => TrainStage(t, real, distilled: []), "TrainingJob.DistilledPairs", "0 pairs for 4") with { Output = t.File(Path.Combine("run", "soft")) };
        },
        ["training with no real pairs"] = t =>
            Refuses<ArgumentException>(() => TrainStage(t, [], distilled: null), "TrainingJob.RealPairs", "empty") with { Output = t.File(Path.Combine("run", "soft")) },

        // Options.
        ["TrainingOptions.LearningRate NaN"] = _ =>
            Refuses<OptionsValidationException>(() => TrainingTestKit.Trainer(new TrainingOptions { LearningRate = double.NaN }), nameof(TrainingOptions.LearningRate), "NaN"),
        ["TrainingOptions.MaxEpochs negative"] = _ =>
            Refuses<OptionsValidationException>(() => TrainingTestKit.Trainer(new TrainingOptions { MaxEpochs = -1 }), nameof(TrainingOptions.MaxEpochs), "-1"),
        ["TrainingOptions.WarmupSteps negative"] = _ =>
            Refuses<OptionsValidationException>(() => TrainingTestKit.Trainer(new TrainingOptions { WarmupSteps = -5 }), nameof(TrainingOptions.WarmupSteps), "-5"),
        ["TrainingOptions.MaxGradNorm infinite"] = _ =>
            Refuses<OptionsValidationException>(() => TrainingTestKit.Trainer(new TrainingOptions { MaxGradNorm = double.PositiveInfinity }), nameof(TrainingOptions.MaxGradNorm)),
        ["SoftOptions.DistanceSamples 0"] = _ =>
            Refuses<OptionsValidationException>(() => Pipeline(o => o.DistanceSamples = 0).Build(), nameof(SoftOptions.DistanceSamples), "0"),
        ["SoftOptions.Soft.LearningRate negative"] = _ =>
            Refuses<OptionsValidationException>(() => Pipeline(o => o.Soft.LearningRate = -1e-4).Build(), "Soft", nameof(TrainingOptions.LearningRate)),
        ["adaptive scheduler Alpha NaN"] = _ =>
            Refuses<OptionsValidationException>(() => new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = double.NaN })), nameof(AdaptiveDistanceSchedulerOptions.Alpha), "NaN"),
        ["fixed scheduler Lambda NaN"] = _ =>
            Refuses<ArgumentOutOfRangeException>(() => new FixedScheduler(double.NaN), "lambda", "NaN"),
        ["linear scheduler EndLambda negative"] = _ =>
            Refuses<OptionsValidationException>(() => new LinearScheduler(Options.Create(new LinearSchedulerOptions { EndLambda = -0.5 })), nameof(LinearSchedulerOptions.EndLambda), "-0.5"),
        ["constrained beam NumBeams 1"] = _ =>
            Refuses<ArgumentException>(() => new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 1 } }), "Decoding.NumBeams"),
        ["generation Temperature NaN"] = _ =>
            Refuses<ArgumentException>(() => new GenerationOptions { Temperature = double.NaN }.Validate(), nameof(GenerationOptions.Temperature), "NaN"),
        ["metric cutoff K = 0"] = _ =>
            Refuses<ArgumentOutOfRangeException>(() => RankingMetrics.Compute([0], [0, 10]), "cutoffs"),
        ["rank outside the catalogue"] = _ =>
            Refuses<ArgumentOutOfRangeException>(() => new RankingMetricsAccumulator(catalogueSize: 3, [1, 10]).Add(3, [0, 1, 2]), "rank"),
    };

    public static TheoryData<string> RejectedCases => new(Rejections.Keys.Concat(MoreRejections.Keys).Concat(MessyRejections.Keys));

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public void Bad_input_is_refused_with_a_specific_error_that_names_it(string name)
    {
        var rejection = (Rejections.GetValueOrDefault(name) ?? MoreRejections.GetValueOrDefault(name) ?? MessyRejections[name])(_temp);

        var thrown = rejection.Act.Should().Throw<Exception>().Which;

        thrown.Should().BeOfType(rejection.Exception, thrown.ToString());
        foreach (string fragment in rejection.Names)
            thrown.Message.Should().Contain(fragment);
        if (rejection.Output is { } output)
        {
            Path.Exists(output).Should().BeFalse("nothing may be left at the output path");
            Path.Exists(output + ".partial").Should().BeFalse("nor a staging folder beside it");
            Directory.EnumerateFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
        }
    }

    // Titles a catalogue may really hold; control characters become spaces in prompts (TitleQuoting), so the title
    // the model reads and writes is the second value.
    [Theory]
    [InlineData("quotes", "He said \"hi\"", "He said \"hi\"")]
    [InlineData("backslash", @"AC\DC", @"AC\DC")]
    [InlineData("Cyrillic", "Сплин", "Сплин")]
    [InlineData("CJK", "東京事変", "東京事変")]
    [InlineData("Arabic", "مشروع ليلى", "مشروع ليلى")]
    [InlineData("emoji", "Café ☕ 🎸", "Café ☕ 🎸")]
    [InlineData("line break", "Line\nbreak", "Line break")]
    [InlineData("tab", "Tab\tbed", "Tab bed")]
    public void Unusual_titles_round_trip_through_the_dataset_the_prompt_and_the_title_trie(string kind, string title, string rendered)
    {
        var catalog = new ItemCatalog([new CatalogItem(0, "0", "Plain"), new CatalogItem(1, "1", title), new CatalogItem(2, "2", "Other")], kind);
        if (!title.Contains('\n', StringComparison.Ordinal))
        {
            // Through a real file: the LastFM reader gives the title back unchanged.
            _temp.Write("id2name.txt", $"0::Plain\n1::{title}\n2::Other\n");
            _temp.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1 2\n");
            LastFmReader.Read(_temp.Path).Catalog[1].Title.Should().Be(title);
        }

        var template = PromptTemplate.Compact(RecommendationDomain.Artists);
        var withTitle = template.Render(new RecommendationSample("u", [1, 0], 1), catalog);
        var plain = template.Render(new RecommendationSample("u", [2, 0], 2), catalog);
        TitleQuoting.TryUnquote(withTitle.Completion, out string back).Should().BeTrue();
        back.Should().Be(rendered);
        withTitle.Prompt.Should().Contain(TitleQuoting.Quote(title));
        // A line break in a title cannot break the prompt's layout.
        withTitle.Prompt.Count(c => c == '\n').Should().Be(plain.Prompt.Count(c => c == '\n'));

        using var model = ModelTestKit.LoadStories();
        var trie = CatalogTrie.Build(catalog, model.Tokenizer);
        var tokens = CatalogTrie.TitleTokens(model.Tokenizer, title);
        model.Tokenizer.Decode(tokens[..^1]).Should().Be(withTitle.Completion);
        trie.ItemsOf(tokens[..^1]).Should().Equal(1);
    }

    [Fact]
    public void K_above_the_catalogue_size_counts_every_ranked_item_and_returns_the_whole_catalogue()
    {
        float[] distances = [0.3f, 0.1f, 0.2f];
        CatalogRanking.TopK<float>(distances, 10).Should().Equal(1, 2, 0);

        var accumulator = new RankingMetricsAccumulator(catalogueSize: 3, [1, 10, 50]);
        accumulator.Add(2, CatalogRanking.TopK<float>(distances, 50));
        accumulator.Add(0, CatalogRanking.TopK<float>(distances, 50));
        accumulator.Add(null, []);
        var result = accumulator.Result();

        result.HitRate(10).Should().BeApproximately(2.0 / 3, 1e-12);
        result.HitRate(50).Should().Be(result.HitRate(10));
        result.Ndcg(50).Should().BeApproximately((1 / Math.Log2(4) + 1) / 3, 1e-12);
        result.Coverage(50).Should().Be(1);
    }

    [Fact]
    public void The_llara_padding_id_is_not_an_item_and_is_skipped()
    {
        LastFm(_temp, $"split\tuser\titem_ids\ntrain\tu0\t{LastFmReader.PaddingId} {LastFmReader.PaddingId} 0 1\n");

        LastFmReader.Read(_temp.Path).Sequences.Single().Items.Should().Equal(0, 1);
    }

    private static string CopyStories(DataFolder temp, string name, Action<Dictionary<string, Tensor>>? edit = null)
    {
        string folder = temp.File(name);
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(ModelTestKit.Stories))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        if (edit is not null)
        {
            using var scope = NewDisposeScope();
            var tensors = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
            edit(tensors);
            SafetensorsFile.Write(Path.Combine(folder, "model.safetensors"), tensors.Select(kv => (kv.Key, kv.Value)));
        }
        return folder;
    }

    private static string Entry(string dtype, string shape, string offsets) =>
        $"{{\"w\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}, \"data_offsets\": {offsets}}}}}";

    // A safetensors file by hand: the 8-byte header length (the real one unless given), the header, zeroed data.
    private static byte[] Safetensors(string header, int dataBytes, long? headerLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, headerLength ?? json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private static void MovieLens100K(DataFolder temp, string ratings)
    {
        temp.Write("u.item", "10|Toy Story (1995)|01-Jan-1995||http://x|0\n11|Heat (1995)|01-Jan-1995||http://x|0\n");
        temp.Write("u.data", ratings);
    }

    private static void LastFm(DataFolder temp, string sequences)
    {
        temp.Write("id2name.txt", "0::A\n1::B\n");
        temp.Write("sequences.tsv", sequences);
    }

    private static DistilledExample Distilled(int index) => new(index, "u", "prompt", "\"A\"", "\"B\"", ["\"B\""], [-1.0]);

    private static void TrainStage(DataFolder temp, IReadOnlyList<PromptTarget> real, IReadOnlyList<PromptTarget>? distilled)
    {
        using var model = ModelTestKit.LoadStories();
        TrainingTestKit.Trainer(TrainingTestKit.Options()).Train(new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = distilled,
            Scheduler = new FixedScheduler(0),
            RunFolder = RunFolder.Open(temp.File("run"), "{}"),
            Stage = "soft",
        });
    }

    private static SoftTrainerBuilder Pipeline(Action<SoftOptions> configure) => new SoftTrainerBuilder()
        .UsePreset(SoftPresets.CpuName)
        .Configure(configure)
        .UseLanguageModel(ModelTestKit.Stories)
        .UseDataset(() => throw new InvalidOperationException("Build must not load the data."))
        .UseAdaptiveCurriculum(alpha: 1)
        .UseBeamSelfDistiller()
        .AddGroundingEvaluator();
}
