using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Soft.Baselines;
using Soft.Curriculum;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.IO;
using Soft.Metrics;
using Soft.Models;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Runtime;

namespace Soft.Benchmarks;

/// <summary>
/// The quality benchmark of issue #6: on each dataset and seed, one SOFT pipeline run (Guidance-only, SFT, SOFT with
/// α = 1, the ablation without self-adaptation, and SOFT variants for the other α, all on the same SFT model and D̂),
/// plus Popularity and SASRec on the same splits, all scored with the same metrics; then mean ± std over seeds.
/// Beside that grid on the cpu preset's item-token model, Guidance-only, SFT and SOFT on the other base models
/// (<see cref="QualityBaseModels"/>). Every run folder resumes, so an interrupted benchmark continues where it stopped.
/// </summary>
internal static class QualityBenchmark
{
    public const string Exact = EvaluatorNames.Exact;
    public const string Grounding = EvaluatorNames.Grounding;
    public const string ConstrainedBeam = EvaluatorNames.ConstrainedBeam;
    public const string FullRanking = "full ranking";

    /// <summary>Soft-label SOFT without the curriculum: λ = 1 every epoch, so the student learns the teacher's distribution alone.</summary>
    public const string SoftLabelsOnly = "SOFT soft labels w/o self-adaptation";

    /// <summary>Soft-label SOFT with λ = 0.5 every epoch: Hinton et al.'s fixed mix of the teacher's distribution and the true item.</summary>
    public const string SoftLabelsHalf = "SOFT soft labels (fixed λ=0.5)";


    public static int Run(QualitySettings settings)
    {
        var clock = Stopwatch.StartNew();
        // --jobs N: the parts run as child processes; this process then only summarises their finished run folders.
        if (settings.Jobs > 1 && !settings.SummaryOnly)
        {
            QualityJobs.Run(settings, settings.Arguments, clock);
            // The thread count is part of a run's configuration (it can change the numbers): the children's.
            settings = settings with { SummaryOnly = true, Threads = 1 };
        }
        var rows = new List<QualityRow>();
        var runs = new List<QualityRunInfo>();
        var mechanisms = new List<QualityMechanism>();
        var distillations = new List<QualityDistillation>();
        foreach (string dataset in settings.Datasets)
        {
            foreach (string baseModel in settings.BaseModels)
            {
                foreach (long seed in SeedsOf(settings, baseModel))
                {
                    var watch = Stopwatch.StartNew();
                    string folder = RunFolder(settings, dataset, baseModel, seed);
                    // --summary-only: report the finished runs and baselines as they are, start nothing new.
                    if (settings.SummaryOnly)
                    {
                        if (FinishedFolder(settings, dataset, baseModel, seed) is not { } finished)
                        {
                            Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {dataset}, {baseModel}, seed {seed}: not finished, left out of the summary");
                            continue;
                        }
                        folder = finished;
                    }
                    Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {dataset}, {baseModel}, seed {seed}");
                    var (datasetRows, info, report) = RunOne(settings, dataset, baseModel, seed, folder, clock);
                    rows.AddRange(datasetRows);
                    if (baseModel == QualityBaseModels.Items)
                    {
                        mechanisms.AddRange(QualityMechanism.From(report, dataset, seed));
                        if (QualityDistillation.From(report, dataset, seed) is { } distillation)
                            distillations.Add(distillation);
                    }
                    runs.Add(info with { Seconds = Math.Round(watch.Elapsed.TotalSeconds, 1) });
                }
            }
        }
        var summary = QualitySummary.Create(settings, rows, runs, clock.Elapsed) with { Mechanisms = mechanisms, Distillations = distillations };
        Console.WriteLine(summary.Markdown());
        string json = settings.Json ?? Path.Combine(settings.Out, "quality.json");
        AtomicFile.WriteAllText(json, summary.ToJson());
        Console.WriteLine($"JSON: {json}");
        if (settings.Doc is { } doc)
        {
            var plots = QualityPlots.Write(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(doc))!, "benchmarks"), summary);
            DocumentSection.Quality(settings.Regime.Name).Update(doc, summary.Markdown(plots.Select(p => Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(doc))!, p)).ToList()));
            Console.WriteLine($"Updated {doc}");
        }
        return 0;
    }

    // The title-token model scores every title over the catalogue trie (about a second per LastFM prompt on one
    // thread, docs/BENCHMARKS.md), 30 to 100 times an item-token model's cost: it runs on the first seed only, on
    // TitleTestSamples test samples, validating on TitleValidationSamples.
    public const int TitleTestSamples = 200;
    public const int TitleValidationSamples = 64;
    public const int TitlePretrainingSteps = 500;

    public static IReadOnlyList<long> SeedsOf(QualitySettings settings, string baseModel) =>
        baseModel == QualityBaseModels.Titles ? [settings.Seeds[0]] : settings.Seeds;

    public static string RunFolder(QualitySettings settings, string dataset, string baseModel, long seed) =>
        RunFolder(settings.Out, dataset, baseModel, seed);

    private static string RunFolder(string root, string dataset, string baseModel, long seed) =>
        Path.Combine(root, dataset, baseModel == QualityBaseModels.Items ? $"seed-{seed}" : $"{baseModel}-seed-{seed}");

    /// <summary>The run root (<c>--out</c>, or one of <c>--runs</c>) that a folder of <see cref="RunFolder(QualitySettings, string, string, long)"/> lies in.</summary>
    public static string RunRoot(string folder) => Path.GetDirectoryName(Path.GetDirectoryName(folder)) ?? "";

    /// <summary>The first folder of <c>--runs</c> (default: <c>--out</c>) that holds this run's report; null when none does.</summary>
    public static string? FinishedFolder(QualitySettings settings, string dataset, string baseModel, long seed) =>
        (settings.Runs.Count > 0 ? settings.Runs : [settings.Out])
            .Select(root => RunFolder(root, dataset, baseModel, seed))
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, SoftRunReport.FileName)));

    private static (List<QualityRow> Rows, QualityRunInfo Info, SoftRunReport Report) RunOne(QualitySettings settings, string dataset, string baseModel, long seed, string folder, Stopwatch clock)
    {
        bool main = baseModel == QualityBaseModels.Items, titles = baseModel == QualityBaseModels.Titles;
        var data = DataOptions(settings, seed);
        if (titles)
            data = data with { TestSubset = settings.Tiny ? data.TestSubset : Math.Min(data.TestSubset ?? TitleTestSamples, TitleTestSamples) };
        RecommendationDataset Load() => dataset == "lastfm" ? EmbeddedDatasets.LastFm(data) : MovieLensReader.Load(settings.MovieLensPath, data);
        var loaded = settings.Regime.Apply(Load(), TrainSamples(settings), seed);
        var rows = new List<QualityRow>();

        // --summary-only reads the finished folder's report as it is: every row it holds, whatever --variants and --alphas
        // say, and nothing is trained (a trainer would resume the folder and train a variant it lacks).
        var report = settings.SummaryOnly
            ? SoftRunReport.Load(Path.Combine(folder, SoftRunReport.FileName))
            : Train(settings, baseModel, seed, folder, loaded, clock);
        foreach (var result in report.Results)
        {
            var predictions = PredictionsFile.Read(Path.Combine(folder, SoftTrainer.TestPredictionsFile(result.Method, result.Evaluator)));
            rows.Add(new QualityRow(dataset, seed, QualityBaseModels.MethodName(result.Method, baseModel), result.Evaluator, result.Metrics) { Ranks = [.. predictions.Select(p => p.Rank)] });
        }
        // Popularity and SASRec do not depend on the base model: fitted once per dataset and seed, beside the main grid.
        if (main)
            rows.AddRange(Baselines(settings, loaded, folder, dataset, seed));
        var info = new QualityRunInfo(dataset, seed, baseModel, folder, report.BaseModel, loaded.Catalog.Count, loaded.Train.Count, loaded.Valid.Count, loaded.Test.Count, report.StageSeconds, 0);
        return (rows, info, report);
    }

    private static SoftRunReport Train(QualitySettings settings, string baseModel, long seed, string folder, RecommendationDataset loaded, Stopwatch clock)
    {
        bool main = baseModel == QualityBaseModels.Items, titles = baseModel == QualityBaseModels.Titles;
        var (shape, pretraining) = BaseModel(settings);
        if (titles)
            pretraining.Steps = settings.PretrainingSteps ?? (settings.Tiny ? pretraining.Steps : TitlePretrainingSteps);
        var builder = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = seed;
                o.Threads = settings.Threads;
                o.EvaluateBaseModel = true;
                o.ItemTokens = !titles;
                if (titles)
                    o.ValidationSamples = TitleValidationSamples;
                if (settings.Tiny)
                {
                    o.ValidationSamples = 8;
                    o.DistanceSamples = 8;
                }
                foreach (var stage in new[] { o.Sft, o.Soft })
                {
                    stage.MaxEpochs = settings.MaxEpochs ?? (settings.Tiny ? 1 : settings.Regime.MaxEpochs);
                    stage.EarlyStoppingPatience = settings.Patience ?? settings.Regime.Patience;
                    stage.LearningRate = settings.LearningRate ?? stage.LearningRate;
                    if (settings.Tiny)
                    {
                        stage.EffectiveBatchSize = 16;
                        stage.MicroBatchSize = 16;
                        stage.WarmupSteps = 0;
                    }
                }
            })
            .UseDataset(() => loaded)
            .UseAdaptiveCurriculum(alpha: 1)
            .UseBeamSelfDistiller(o => o.Decoding.MaxNewTokens = settings.Tiny ? 16 : o.Decoding.MaxNewTokens)
            .AddExactScoringEvaluator();
        _ = baseModel == QualityBaseModels.Stories
            ? builder.UseLanguageModel(settings.StoriesPath, new ModelLoadOptions())
            : builder.UseScratchLanguageModel(shape, pretraining);
        // Grounding also measures the curriculum's distance d.
        builder.AddGroundingEvaluator(o => o.Decoding.MaxNewTokens = settings.Tiny ? 16 : o.Decoding.MaxNewTokens);
        if (main)
        {
            if (settings.Variants.Contains("ablation"))
                builder.AddWithoutSelfAdaptationVariant();
            foreach (double alpha in settings.Alphas.Where(a => a != 1))
                builder.AddAdaptiveCurriculumVariant(alpha);
            if (settings.Variants.Contains("soft-labels"))
                builder.AddSoftLabelCurriculumVariant(alpha: 1);
            if (settings.Variants.Contains("soft-labels-t2"))
                builder.AddSoftLabelCurriculumVariant(alpha: 1, temperature: 2);
            if (settings.Variants.Contains("soft-labels-only"))
                builder.AddCurriculumVariant(new CurriculumVariant(SoftLabelsOnly, new FixedScheduler(1), SoftLabels: true));
            if (settings.Variants.Contains("soft-labels-half"))
                builder.AddCurriculumVariant(new CurriculumVariant(SoftLabelsHalf, new FixedScheduler(0.5), SoftLabels: true));
        }
        using var trainer = builder.Build();
        string stage = "";
        return trainer.Run(folder, new InlineProgress<PipelineProgress>(p =>
        {
            if (p.Stage == stage && !p.Message.Contains("validation", StringComparison.Ordinal))
                return;
            stage = p.Stage;
            Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}]   {p.Stage}: {p.Message}");
        }));
    }

    // The reference's sizes (SOFT-REFERENCE.md, step 1): 4,096 / 512 / 1,000, unless the regime fine-tunes on more.
    public static DatasetOptions DataOptions(QualitySettings settings, long seed) => new()
    {
        Seed = seed,
        TrainSubset = settings.Regime.ReaderTrainSubset(TrainSamples(settings)),
        ValidSubset = settings.Tiny ? 16 : 512,
        TestSubset = settings.TestSamples ?? (settings.Tiny ? 16 : 1000),
    };

    private static int TrainSamples(QualitySettings settings) => settings.TrainSamples ?? (settings.Tiny ? 48 : settings.Regime.TrainSamples ?? int.MaxValue);

    private static (ScratchModelOptions Shape, CatalogPretrainingOptions Pretraining) BaseModel(QualitySettings settings)
    {
        var shape = settings.Tiny ? ScratchModelOptions.Tiny : SoftPresets.CpuScratchModel();
        var pretraining = SoftPresets.CpuPretraining();
        pretraining.Steps = settings.PretrainingSteps ?? (settings.Tiny ? 10 : settings.Regime.PretrainingSteps ?? pretraining.Steps);
        if (settings.Tiny)
        {
            pretraining.BatchSize = 8;
            pretraining.WarmupSteps = 2;
            pretraining.EvaluationInterval = 5;
        }
        return (shape, pretraining);
    }

    // Popularity and SASRec learn from exactly the interactions the language models learn from: every transition of
    // the training sequences (the base model's pre-training data, which contains each training sample; SASRec reads
    // them as windows, each transition a target once per epoch), early-stopped on the same validation samples, ranked
    // over the whole catalogue and scored by the same metric code; kept in the run folder so a resumed benchmark does
    // not retrain them.
    private static List<QualityRow> Baselines(QualitySettings settings, RecommendationDataset dataset, string folder, string name, long seed)
    {
        string path = Path.Combine(folder, "baselines.json");
        if (File.Exists(path))
            return JsonSerializer.Deserialize<List<QualityRow>>(File.ReadAllText(path))!;
        bool popularityOnly = settings.SummaryOnly;
        static NextItemExample Example(RecommendationSample s) => new([.. s.History], s.Target);
        var train = Transitions(dataset.TrainingSequences, dataset.HistoryLength);
        // A regime that splits the users pre-trains the base on some and fine-tunes on the others' samples: the
        // baselines learn from both, as the language model does.
        var tuning = settings.Regime.PretrainingShare is null ? [] : dataset.Train.Select(Example).ToList();
        train.AddRange(tuning);
        var valid = dataset.Valid.Select(Example).ToList();
        var test = dataset.Test.Select(Example).ToList();
        var popularity = PopularityRecommender.Fit(train, dataset.Catalog.Count);
        var popularityRanks = test.Select(e => (int?)popularity.RankOf(e.Target)).ToList();
        var rows = new List<QualityRow>
        {
            new(name, seed, "Popularity", FullRanking, WithCoverage(RankingMetrics.Compute(popularityRanks).Values, dataset.Catalog.Count, test.Select(_ => popularity.Top(10)))) { Ranks = popularityRanks },
        };
        // --summary-only: Popularity is a count, computed here; an unfinished SASRec fit is left out, not started.
        if (popularityOnly)
        {
            Console.WriteLine($"  {name}, seed {seed}: SASRec not finished, left out of the summary");
            return rows;
        }
        SoftRuntime.Seed(seed);
        // Windows by default: each transition once per epoch. --sasrec-transitions feeds every transition as its own
        // example instead, as this benchmark did first: each transition is then also trained inside every later
        // window that holds it, ten times the work per epoch, and on LastFM a stronger SASRec (docs/BENCHMARKS.md).
        var sasrecTrain = settings.SasRecTransitions ? train : [.. Windows(dataset.TrainingSequences, dataset.HistoryLength), .. tuning];
        using (var sasrec = SasRecRecommender.Fit(sasrecTrain, valid, dataset.Catalog.Count, new SasRecOptions
        {
            Seed = seed,
            MaxLength = dataset.HistoryLength,
            MaxEpochs = settings.SasRecEpochs ?? (settings.Tiny ? 2 : 200),
            EarlyStoppingPatience = settings.Tiny ? 2 : 10,
        }, progress: new InlineProgress<SasRecRecommender.SasRecEpoch>(e => Console.WriteLine($"  {name}, seed {seed}: SASRec epoch {e.Epoch}, loss {e.TrainLoss:F3}, valid NDCG@10 {e.ValidNdcgAt10:F4}"))))
        {
            var ranks = sasrec.RanksOf(test).Select(r => (int?)r).ToList();
            rows.Add(new(name, seed, "SASRec", FullRanking, RankingMetrics.Compute(ranks).Values) { Ranks = ranks });
        }
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
        return rows;
    }

    // Popularity answers every user with the same list: its coverage is that list's share of the catalogue.
    private static IReadOnlyDictionary<string, double> WithCoverage(IReadOnlyDictionary<string, double> metrics, int items, IEnumerable<int[]> tops)
    {
        var withCoverage = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        var top = tops.FirstOrDefault() ?? [];
        withCoverage[MetricNames.Coverage(1)] = top.Length > 0 ? 1.0 / items : 0;
        withCoverage[MetricNames.Coverage(10)] = (double)top.Length / items;
        return withCoverage;
    }

    /// <summary>Every next-item transition of <paramref name="sequences"/>, with at most <paramref name="historyLength"/> items of history.</summary>
    internal static List<NextItemExample> Transitions(IReadOnlyList<IReadOnlyList<int>> sequences, int historyLength)
    {
        var examples = new List<NextItemExample>();
        foreach (var sequence in sequences)
        {
            for (int t = 1; t < sequence.Count; t++)
                examples.Add(new NextItemExample([.. sequence.Skip(Math.Max(0, t - historyLength)).Take(t - Math.Max(0, t - historyLength))], sequence[t]));
        }
        return examples;
    }

    /// <summary>
    /// The training sequences cut into windows of <paramref name="historyLength"/> + 1 items, from each sequence's end
    /// back, consecutive windows sharing one item: SASRec predicts every position of a window, so each transition of
    /// <see cref="Transitions"/> is a target exactly once per epoch (with the window's earlier items as its history),
    /// not once per later transition whose history holds it, as when SASRec is fed <see cref="Transitions"/>.
    /// </summary>
    internal static List<NextItemExample> Windows(IReadOnlyList<IReadOnlyList<int>> sequences, int historyLength)
    {
        var examples = new List<NextItemExample>();
        foreach (var sequence in sequences)
        {
            for (int end = sequence.Count; end >= 2; end -= historyLength)
            {
                int start = Math.Max(0, end - historyLength - 1);
                examples.Add(new NextItemExample([.. sequence.Skip(start).Take(end - 1 - start)], sequence[end - 1]));
            }
        }
        return examples;
    }

    // Progress<T> posts to the thread pool; the benchmark wants lines in order, on the pipeline's thread.
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>One method's test metrics on one dataset and seed, as scored by one evaluator.</summary>
internal sealed record QualityRow(string Dataset, long Seed, string Method, string Evaluator, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The 0-based rank of each test sample's target (null: not ranked), in test order; for the paired bootstrap.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int?> Ranks { get; init; } = [];
}

/// <summary>What one (dataset, seed) run was.</summary>
internal sealed record QualityRunInfo(string Dataset, long Seed, string BaseModelName, string Folder, string BaseModel, int Items, int Train, int Valid, int Test, IReadOnlyDictionary<string, double> StageSeconds, double Seconds);
