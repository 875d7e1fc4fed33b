using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Distillation;
using Soft.Metrics;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Tests.Models.Lora;
using DataFolder = Soft.Tests.Data.TempFolder;

namespace Soft.Tests.Reliability;

/// <summary>
/// Careless inputs (issue #12): real data that crashed a run, errors that said the wrong thing, and further careless inputs. Each
/// is refused with a specific type whose message names the input, and leaves nothing half-written.
/// </summary>
public sealed partial class BadInputTests
{
    private static readonly Dictionary<string, Func<DataFolder, Rejection>> MoreRejections = new()
    {
        // Rows of the table.
        ["ids beyond the embedding rows are refused before pre-training, naming the text"] = t =>
        {
            const string title = "Two  spaces  apart";
            var compact = CompactTokenizer.Build([title]);
            string tokenizer = t.File("tokenizer");
            compact.Save(tokenizer);
            var config = ScratchModelOptions.Tiny.ToConfig(compact);
            config.VocabSize = 40; // fewer rows than the tokenizer has ids
            string output = t.File("pretrained");
            return Refuses<TokenIdOutOfRangeException>(() =>
            {
                using var model = TorchLanguageModel.Create(config, tokenizer);
                new CatalogPretrainer(new CatalogPretrainingOptions { Steps = 1, WarmupSteps = 0 }).Train(model, [title], output);
            }, title, "40 embedding rows") with { Output = output };
        },
        ["a base stage that fails leaves no half-built base-model folder"] = t =>
        {
            string run = t.File("run");
            return Refuses<InvalidDataException>(() => RunWithFailingBase(run, Titles("A", "B", "C")), "broken build")
                with { Output = Path.Combine(run, LanguageModelSource.BuiltFolderName) };
        },
        ["a history longer than the model's context"] = _ =>
        {
            var catalog = new ItemCatalog([.. Enumerable.Range(0, 10).Select(i => new CatalogItem(i, $"{i}", $"Artist {i}"))], "code");
            var dataset = RecommendationDatasetBuilder.FromSamples("long", catalog, [new RecommendationSample("u9", [.. Enumerable.Range(0, 900).Select(i => i % 9)], 9)], [], [],
                RecommendationDomain.Artists, new DatasetOptions { HistoryLength = 900 });
            return Refuses<ContextLengthExceededException>(() =>
            {
                using var model = ModelTestKit.LoadStories();
                ContextLengthCheck.Fit(model, dataset, PromptTemplate.Compact(dataset.Domain), new SoftOptions());
            }, "user 'u9'", "900 history items", "max_position_embeddings 512", nameof(SoftOptions.TruncateLongHistories));
        },
        ["a 100,000-character title, even with truncation on"] = _ =>
        {
            var catalog = new ItemCatalog([new CatalogItem(0, "0", new string('x', 100_000)), new CatalogItem(1, "1", "Short")], "code");
            var dataset = RecommendationDatasetBuilder.FromSamples("huge", catalog, [new RecommendationSample("u1", [1], 0)], [], [], RecommendationDomain.Artists);
            return Refuses<ContextLengthExceededException>(() =>
            {
                using var model = ModelTestKit.LoadStories();
                ContextLengthCheck.Fit(model, dataset, PromptTemplate.Compact(dataset.Domain), new SoftOptions { TruncateLongHistories = true });
            }, "user 'u1'", "max_position_embeddings 512", "newest history item alone");
        },
        ["a run folder that is a file"] = t =>
        {
            string file = t.Write("out", "not a folder");
            return Refuses<RunFolderUnusableException>(() => RunFolderLock.Acquire(file), file, "is a file");
        },
        ["a run folder inside a file"] = t =>
        {
            string file = t.Write("out", "not a folder");
            return Refuses<RunFolderUnusableException>(() => RunFolder.Open(Path.Combine(file, "run"), "{}"), file, "which is a file");
        },
        ["a full disk is not reported as a lock conflict"] = t =>
        {
            IOException full = FullDisk();
            return Refuses<RunFolderUnusableException>(() => throw RunFolderErrors.Translate(full, t.Path)!, t.Path, "full");
        },
        ["a read-only file system is not reported as a lock conflict"] = t =>
            // EROFS (30) is what .NET puts in HResult on Linux for a read-only mount.
            Refuses<RunFolderUnusableException>(() => throw RunFolderErrors.Translate(new IOException("Read-only file system", 30), t.Path)!, t.Path, "read-only"),
        ["a folder without write permission"] = t =>
            Refuses<RunFolderUnusableException>(() => throw RunFolderErrors.Translate(new UnauthorizedAccessException($"Access to the path '{t.Path}/run.lock' is denied."), t.Path)!, t.Path, "permission denied"),
        ["titles edited, same run folder"] = t =>
        {
            string run = t.File("run");
            Try(() => RunWithFailingBase(run, Titles("A", "B", "C")));
            FinishAStage(run);
            return Refuses<RunConfigMismatchException>(() => RunWithFailingBase(run, Titles("A", "B (remastered)", "C")), run, "dataset.titles", "force a fresh run");
        },
        ["a scheduler whose private setting changed"] = t =>
        {
            string run = t.File("run");
            Try(() => RunWithFailingBase(run, Titles("A", "B", "C"), new PrivateStepScheduler(0.25)));
            FinishAStage(run);
            return Refuses<RunConfigMismatchException>(() => RunWithFailingBase(run, Titles("A", "B", "C"), new PrivateStepScheduler(0.5)), run, "scheduler.step: 0.25 → 0.5");
        },
        ["D3 item table: a duplicate id names both lines"] = t =>
            Refuses<DatasetFormatException>(() => D3CsvReader.ReadItemTable(t.Write("items.txt", "A\t10\nB\t11\nC\t10\n")), "items.txt", "item 10", "line 1", "line 3"),
        ["LastFM id2name: a duplicate id names both lines"] = t =>
        {
            t.Write("id2name.txt", "0::A\n1::B\n0::C\n");
            t.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "id2name.txt", "artist 0", "line 1", "line 3");
        },
        ["MovieLens u.item: a duplicate id names both lines"] = t =>
        {
            t.Write("u.item", "10|Toy Story (1995)|01-Jan-1995||http://x|0\n11|Heat (1995)|01-Jan-1995||http://x|0\n10|Copy|01-Jan-1995||http://x|0\n");
            t.Write("u.data", "1\t10\t5\t881250949\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.item", "movie 10", "line 1", "line 3");
        },
        ["RecBole item file: a duplicate id names both lines"] = t =>
        {
            string items = t.Write("x.item", "item_id:token\ttitle:token_seq\n7\tA\n8\tB\n7\tC\n");
            string inter = t.Write("x.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\t7\t1\n");
            return Refuses<DatasetFormatException>(() => RecBoleReader.ReadAtomic(inter, items), "x.item", "item 7", "line 2", "line 4");
        },

        // Further careless inputs.
        ["Amazon metadata: a JSONL line cut off"] = t =>
        {
            string ratings = t.Write("r.csv", "user_id,parent_asin,rating,timestamp\nA,B1,5,1\n");
            string meta = t.Write("m.jsonl", "{\"parent_asin\": \"B1\", \"title\": \"One\"}\n{\"parent_asin\": \"B2\", \"tit");
            return Refuses<DatasetFormatException>(() => AmazonReviewsReader.Read(ratings, meta), "m.jsonl", "line 2", "JSON");
        },
        ["Amazon ratings: a NaN rating"] = t =>
        {
            string ratings = t.Write("r.csv", "user_id,parent_asin,rating,timestamp\nA,B1,NaN,1\n");
            return Refuses<DatasetFormatException>(() => AmazonReviewsReader.Read(ratings, t.Write("m.jsonl", "")), "r.csv", "line 2", "'rating'", "'NaN'");
        },
        ["Amazon ratings: a negative timestamp"] = t =>
        {
            string ratings = t.Write("r.csv", "user_id,parent_asin,rating,timestamp\nA,B1,4,-1700000000\n");
            return Refuses<DatasetFormatException>(() => AmazonReviewsReader.Read(ratings, t.Write("m.jsonl", "")), "r.csv", "line 2", "'timestamp'", "negative");
        },
        ["MovieLens u.data: an infinite rating"] = t =>
        {
            MovieLens100K(t, "1\t10\tInfinity\t881250949\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.data", "line 1", "'rating'", "'Infinity'");
        },
        ["MovieLens u.data: a negative timestamp"] = t =>
        {
            MovieLens100K(t, "1\t10\t5\t-5\n");
            return Refuses<DatasetFormatException>(() => MovieLensReader.Read100K(t.Path), "u.data", "line 1", "'timestamp'", "negative");
        },
        ["RecBole: a negative timestamp"] = t =>
        {
            string items = t.Write("x.item", "item_id:token\ttitle:token_seq\n7\tA\n");
            string inter = t.Write("x.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\t7\t-3.0\n");
            return Refuses<DatasetFormatException>(() => RecBoleReader.ReadAtomic(inter, items), "x.inter", "line 2", "negative");
        },
        ["LastFM: every user has a single item"] = t =>
        {
            LastFm(t, "split\tuser\titem_ids\ntrain\tu0\t0\ntest\tu1\t1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Load(t.Path), "sample");
        },
        ["a catalogue of one item"] = _ =>
        {
            var catalog = new ItemCatalog([new CatalogItem(0, "only", "Only")], "code");
            return Refuses<DatasetFormatException>(
                () => RecommendationDatasetBuilder.FromSamples("one", catalog, [new RecommendationSample("u", [0], 0)], [], [], RecommendationDomain.Artists), "one", "1 item");
        },
        ["LastFM: a byte-order mark inside a title"] = t =>
        {
            t.Write("id2name.txt", "0::A\n1::\uFEFFB\n");
            t.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "id2name.txt", "line 2", "U+FEFF");
        },
        ["LastFM: the same user in two splits"] = t =>
        {
            LastFm(t, "split\tuser\titem_ids\ntrain\tu0\t0 1\ntest\tu0\t1 0\n");
            return Refuses<DatasetFormatException>(() => LastFmReader.Read(t.Path), "sequences.tsv", "line 3", "'u0'", "line 2");
        },
        ["an adapter whose rank does not match its config"] = t =>
        {
            string folder = t.File("adapter");
            return Refuses<InvalidDataException>(() =>
            {
                using (var source = new ToyCausalLM())
                    LoraAdapter.Inject(source, new LoraOptions { Rank = 4 }).Save(folder);
                string config = Path.Combine(folder, "adapter_config.json");
                var json = JsonNode.Parse(File.ReadAllText(config))!;
                json["r"] = 8;
                File.WriteAllText(config, json.ToJsonString());
                using var target = new ToyCausalLM();
                LoraAdapter.Load(target, folder);
            }, LoraAdapter.WeightsFileName, "do not fit");
        },
        ["tokenizer.json with a merge of a token not in the vocabulary"] = t =>
        {
            string folder = TokenizerFolder(t, merges => merges.Add("zz qq"));
            return Refuses<InvalidDataException>(() => HfTokenizer.Load(folder, new LlamaConfig { ModelType = "llama" }), "tokenizer.json", "'zz qq'");
        },
        ["tokenizer.json with a malformed merge"] = t =>
        {
            string folder = TokenizerFolder(t, merges => merges.Add("abc"));
            return Refuses<InvalidDataException>(() => HfTokenizer.Load(folder, new LlamaConfig { ModelType = "llama" }), "tokenizer.json", "'abc'");
        },
        ["vocab.json that is not JSON"] = t =>
        {
            string folder = t.File("bad-vocab");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "vocab.json"), "{\"a\": 0,");
            File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n");
            return Refuses<InvalidDataException>(() => HfTokenizer.Load(folder, new LlamaConfig { ModelType = "llama" }), "vocab.json", "JSON");
        },
        ["SoftOptions.MaxHistoryTitleTokens 0"] = _ =>
            Refuses<OptionsValidationException>(() => Pipeline(o => o.MaxHistoryTitleTokens = 0).Build(), nameof(SoftOptions.MaxHistoryTitleTokens), "0"),
        ["an unknown stage to rerun"] = t =>
            Refuses<ArgumentException>(() =>
            {
                using var trainer = Pipeline(_ => { }).Build();
                trainer.Run(t.File("run"), rerun: [(RunStage)42]);
            }, "42", "sft"),
        ["a prompt template with an unknown placeholder"] = _ =>
            Refuses<ArgumentException>(() => new PromptTemplate("{history} then {hist}", RecommendationDomain.Artists), "{hist}", "{history}"),
        ["a prompt template without a history"] = _ =>
            Refuses<ArgumentException>(() => new PromptTemplate("recommend something", RecommendationDomain.Artists), "{history}"),
        ["DatasetOptions.TrainSubset 0"] = _ =>
            Refuses<ArgumentOutOfRangeException>(() => EmbeddedDatasets.LastFm(new DatasetOptions { TrainSubset = 0 }), nameof(DatasetOptions.TrainSubset), "0"),
        ["D3 CSV cut off inside a quoted field"] = t =>
        {
            string train = t.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[10]\",\"['A']\",12,\"C");
            string other = t.Write("other.csv", "history_item_id,history_item_title,item_id,item_title\n");
            return Refuses<DatasetFormatException>(() => D3CsvReader.Read(train, other, other, null, RecommendationDomain.VideoGames), "train.csv", "line 2", "not closed");
        },
        ["scratch model whose heads do not divide the width"] = t =>
            Refuses<ArgumentException>(() => ScratchModelBuilder.Build(t.File("m"), CompactTokenizer.Build(["a"]), new ScratchModelOptions { HiddenSize = 30, Heads = 4 }), nameof(ScratchModelOptions.HiddenSize), nameof(ScratchModelOptions.Heads)) with { Output = t.File("m") },
    };

    [Fact]
    public void The_same_file_as_train_and_valid_is_read_with_a_warning()
    {
        string train = _temp.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[10]\",\"['A']\",12,C\n");
        string test = _temp.Write("test.csv", "history_item_id,history_item_title,item_id,item_title\n\"[12]\",\"['C']\",10,A\n");

        var dataset = D3CsvReader.Read(train, train, test, null, RecommendationDomain.VideoGames);

        dataset.Warnings.Should().ContainSingle().Which.Should().Contain(train).And.Contain("both the train and the valid file");
        D3CsvReader.Read(train, test, test, null, RecommendationDomain.VideoGames).Warnings.Should().ContainSingle().Which.Should().Contain("valid and the test");
    }

    [Fact]
    public void A_title_with_runs_of_spaces_pre_trains_on_a_scratch_model()
    {
        string folder = _temp.File("scratch");
        var compact = CompactTokenizer.Build(["Two  spaces", "\"Two  spaces\"", "tabs\t\there   "]);
        using var model = ScratchModelBuilder.Build(folder, compact, ScratchModelOptions.Tiny);

        var result = new CatalogPretrainer(new CatalogPretrainingOptions { Steps = 2, WarmupSteps = 0, BatchSize = 2 }).Train(model, ["Two  spaces", "tabs\t\there   "]);

        result.Losses.Should().HaveCount(2).And.OnlyContain(l => double.IsFinite(l));
    }

    // A real ENOSPC: /dev/full refuses every write with it.
    private static IOException FullDisk()
    {
        try
        {
            using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            stream.Write(new byte[1]);
            stream.Flush();
        }
        catch (IOException e)
        {
            return e;
        }
        throw new InvalidOperationException("/dev/full accepted a write.");
    }

    private static void Try(Action act)
    {
        try
        {
            act();
        }
        catch (InvalidDataException)
        {
            // The first run stops at its failing base stage, after the run folder recorded its configuration.
        }
    }

    private static RecommendationDataset Titles(params string[] titles)
    {
        var catalog = new ItemCatalog([.. titles.Select((t, i) => new CatalogItem(i, $"{i}", t))], "code");
        var sample = new RecommendationSample("u", [0, 1], 2);
        return RecommendationDatasetBuilder.FromSamples("titles", catalog, [sample], [sample], [sample], RecommendationDomain.Artists);
    }

    // A run whose base stage writes a file and then fails: what a crash mid-build leaves.
    private static void RunWithFailingBase(string run, RecommendationDataset dataset, ICurriculumScheduler? scheduler = null, Action<SoftOptions>? configure = null)
    {
        var source = LanguageModelSource.BuiltPerRun("failing", build =>
        {
            File.WriteAllText(Path.Combine(build.Folder, "config.json"), "{}");
            throw new InvalidDataException("broken build");
        });
        var builder = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(configure ?? (_ => { }))
            .UseLanguageModel(source)
            .UseDataset(dataset)
            .UseBeamSelfDistiller()
            .AddGroundingEvaluator();
        _ = scheduler is null ? builder.UseAdaptiveCurriculum(alpha: 1) : builder.UseCurriculumScheduler(scheduler);
        using var trainer = builder.Build();
        trainer.Run(run);
    }

    // A tokenizer.json (BPE over the letters a, b, c) whose merges the caller edits.
    private static string TokenizerFolder(DataFolder temp, Action<JsonArray> editMerges)
    {
        string folder = temp.File("tokenizer-json");
        Directory.CreateDirectory(folder);
        var merges = new JsonArray("a b");
        editMerges(merges);
        var json = new JsonObject
        {
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = new JsonObject { ["a"] = 0, ["b"] = 1, ["c"] = 2, ["ab"] = 3, ["<|endoftext|>"] = 4 }, ["merges"] = merges },
            ["added_tokens"] = new JsonArray(),
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        return folder;
    }

    /// <summary>A scheduler whose λ depends on a private setting, which it adds to its fingerprint.</summary>
    private sealed class PrivateStepScheduler(double step) : ICurriculumScheduler
    {
        private readonly double _step = step;

        public bool RequiresDistance => false;

        public double NextLambda(CurriculumHistory history) => Math.Min(1, _step * history.NextEpoch);

        public JsonNode Fingerprint() => new JsonObject { ["type"] = GetType().FullName, ["step"] = _step };
    }
}
