using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.IO;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Models.Lora;
using Soft.Reporting;
using Soft.Runtime;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// A composed SOFT pipeline (see <see cref="SoftTrainerBuilder"/>). <see cref="RunAsync"/> walks the stages of the
/// method, each an artifact in the run folder, so a rerun resumes from the last finished stage or epoch:
/// <list type="number">
/// <item><description><c>base</c>: the base model is built, when its source builds it per run (<see cref="LanguageModelSource.Build"/>);</description></item>
/// <item><description><c>items</c>: evaluators prepare (BIGRec's item table from the base model);</description></item>
/// <item><description><c>eval/Guidance-only</c>: the untuned base model, prompted (optional);</description></item>
/// <item><description><c>sft</c>: supervised fine-tuning on the real targets (λ = 0), then <c>eval/SFT</c>;</description></item>
/// <item><description><c>distill</c>: the SFT model answers its training prompts → <c>distilled.jsonl</c> (D̂);</description></item>
/// <item><description><c>soft</c>: a fresh adapter on the base model, trained on D and D̂ under the curriculum, then <c>eval/SOFT</c>;</description></item>
/// <item><description><c>soft-distilled-only</c>: the ablation with λ = 1 (optional);</description></item>
/// <item><description><c>soft-variant-…</c>: each <see cref="CurriculumVariant"/>, e.g. another α (optional);</description></item>
/// <item><description><c>report.json</c>, <c>report.md</c> and <c>tensorboard/</c>.</description></item>
/// </list>
/// </summary>
public sealed class SoftTrainer : IDisposable
{
    /// <summary>File in the run folder that collects finished answers while D̂ is built, so a killed run resumes.</summary>
    public const string PartialDistillationFileName = "distilled.partial.jsonl";

    /// <summary>File in the run folder that keeps each stage's wall time across resumed runs.</summary>
    public const string StageSecondsFileName = "stage-seconds.json";

    private readonly ServiceProvider _provider;
    private readonly SoftOptions _options;
    private readonly LanguageModelSource _model;
    private readonly DatasetSource _data;
    private readonly ICurriculumScheduler _scheduler;
    private readonly ISelfDistiller _distiller;
    private readonly IReadOnlyList<IRecommendationEvaluator> _evaluators;
    private readonly IReadOnlyList<CurriculumVariant> _variants;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    internal SoftTrainer(
        ServiceProvider provider,
        SoftOptions options,
        LanguageModelSource model,
        DatasetSource data,
        ICurriculumScheduler scheduler,
        ISelfDistiller distiller,
        IReadOnlyList<IRecommendationEvaluator> evaluators,
        IReadOnlyList<CurriculumVariant>? variants = null)
    {
        _provider = provider;
        _options = options;
        _model = model;
        _data = data;
        _scheduler = scheduler;
        _distiller = distiller;
        _evaluators = evaluators;
        _variants = variants ?? [];
        _loggers = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<SoftTrainer>();
        if (_scheduler.RequiresDistance && DistanceMeasure() is null)
            throw new InvalidOperationException($"The curriculum scheduler {scheduler.GetType().Name} needs the grounded distance d, but no evaluator measures it (add the grounding evaluator).");
        if (_variants.FirstOrDefault(v => v.Scheduler.RequiresDistance) is { } variant && DistanceMeasure() is null)
            throw new InvalidOperationException($"The scheduler {variant.Scheduler.GetType().Name} of variant '{variant.Name}' needs the grounded distance d, but no evaluator measures it (add the grounding evaluator).");
    }

    /// <summary>A copy of the options in force.</summary>
    public SoftOptions Options => _options.Clone();

    /// <summary>The evaluators every method is tested with; the first (or the one named by <see cref="SoftOptions.ValidationEvaluator"/>) also validates during training.</summary>
    public IReadOnlyList<IRecommendationEvaluator> Evaluators => _evaluators;

    /// <summary>
    /// Runs (or resumes) the pipeline in <paramref name="runFolder"/> on a dedicated thread and returns the report.
    /// </summary>
    /// <param name="runFolder">Where every artifact goes; created if missing.</param>
    /// <param name="progress">Receives stage, epoch, step, loss, λ and ETA as the run advances.</param>
    /// <param name="cancellationToken">Stops the run between steps; finished stages and epochs stay on disk.</param>
    /// <param name="forceFresh">Discard a run folder that belongs to another configuration instead of refusing it.</param>
    /// <param name="rerun">
    /// Stages to run again although they finished (see <see cref="RerunnableStages"/>); every stage after one of them
    /// runs again too, because it was built from its output (new SFT weights mean a new D̂, and so on).
    /// </param>
    /// <exception cref="RunConfigMismatchException">The folder holds a run with another configuration.</exception>
    /// <exception cref="ArgumentException"><paramref name="rerun"/> names an unknown stage.</exception>
    /// <exception cref="RunFolderInUseException">Another run is using the folder (see <see cref="RunFolderLock"/>).</exception>
    public Task<SoftRunReport> RunAsync(string runFolder, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default, bool forceFresh = false, IReadOnlyCollection<string>? rerun = null) =>
        // One long-running thread: TorchSharp's dispose scopes are thread-bound, so the work must not hop threads.
        Task.Factory.StartNew(() => Run(runFolder, progress, forceFresh, cancellationToken, rerun), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Names accepted by the <c>rerun</c> argument: <c>base</c> (a base model built per run), <c>items</c>, <c>sft</c>, <c>distill</c>, <c>soft</c>,
    /// <c>soft-distilled-only</c>, <c>soft-variant</c> (every <see cref="CurriculumVariant"/>), and <c>eval</c>
    /// (every test evaluation, nothing else).
    /// </summary>
    public static IReadOnlyList<string> RerunnableStages { get; } = ["base", "items", "sft", "distill", "soft", "soft-distilled-only", VariantPrefix, "eval"];

    // Stage names of the variants start with this (and the rerun name is the same).
    private const string VariantPrefix = "soft-variant";

    // Run order; a stage's artifacts are built from those before it. Variants come last, in the order added.
    private static readonly string[] StageOrder =
    [
        "base", "items", $"eval/{ReportMethodNames.GuidanceOnly}/", "sft", $"eval/{ReportMethodNames.Sft}/", "distill",
        "soft", $"eval/{ReportMethodNames.Soft}/", "soft-distilled-only", $"eval/{ReportMethodNames.WithoutSelfAdaptation}/",
        VariantPrefix,
    ];

    /// <summary>Runs (or resumes) the pipeline synchronously on the calling thread; see <see cref="RunAsync"/>.</summary>
    public SoftRunReport Run(string runFolder, IProgress<PipelineProgress>? progress = null, bool forceFresh = false, CancellationToken cancellationToken = default, IReadOnlyCollection<string>? rerun = null)
    {
        foreach (string stage in rerun ?? [])
        {
            if (!RerunnableStages.Contains(stage))
                throw new ArgumentException($"Cannot rerun '{stage}'; stages: {string.Join(", ", RerunnableStages)}.", nameof(rerun));
        }
        var started = DateTimeOffset.UtcNow;
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = _options.Device, Threads = _options.Threads, Seed = _options.Seed });
        progress?.Report(new PipelineProgress("data", "Loading the dataset"));
        var dataset = _data.Load();
        var template = (_options.PromptStyle, _options.ItemTokens) switch
        {
            (PromptStyle.Alpaca, false) => PromptTemplate.Alpaca(dataset.Domain),
            (PromptStyle.Alpaca, true) => PromptTemplate.Alpaca(dataset.Domain).WithItemTokens(),
            (_, false) => PromptTemplate.Compact(dataset.Domain),
            (_, true) => PromptTemplate.CompactItems(dataset.Domain),
        };
        using var exclusive = RunFolderLock.Acquire(runFolder);
        var run = RunFolder.Open(runFolder, ConfigJson(dataset, template), forceFresh);
        foreach (string stage in rerun ?? [])
            Invalidate(run, stage);
        var lifetime = RunLifetime.Open(run, started);
        var timings = new StageTimings(run, lifetime);
        var state = new RunState(dataset, template, run, progress, timings, _model);
        if (BaseBuild() is not null)
            state = state with { Model = timings.Measure("base", () => BuildBaseModel(state, cancellationToken)) };

        using var model = state.Model.Create();
        var (fitted, fittedTemplate) = ContextLengthCheck.Fit(model, state.Dataset, state.Template, _options);
        state = state with { Dataset = fitted, Template = fittedTemplate };
        // What serving needs besides weights (catalogue, template, history length), so it never re-reads the data files.
        string? baseFolder = BaseBuild() is not null ? LanguageModelSource.BuiltFolderName : _model.Folder is { } given ? Path.GetFullPath(given) : null;
        ServingManifest.WriteOnce(run, fitted, fittedTemplate, _options, baseFolder, _variants.Select(v => (v.Name, $"{VariantPrefix}-{FileSafe(v.Name)}")));
        LoraAdapter? adapter = null;
        using var baseCopy = NeedsBaseCopy() ? state.Model.Create() : null;
        ITextEmbedder baseEmbedder = baseCopy ?? (ITextEmbedder)new BaseModelEmbedder(model, () => adapter);

        timings.Measure("items", () => Prepare(state, model, baseEmbedder, cancellationToken));

        var methods = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        var logs = new Dictionary<string, IReadOnlyList<TrainingLogEntry>>(StringComparer.Ordinal);
        if (_options.EvaluateBaseModel)
            Evaluate(state, ReportMethodNames.GuidanceOnly, model, methods, cancellationToken);

        var sft = Train(state, "sft", _options.Sft, model, new ConstantLambda(0), distilled: null, cancellationToken);
        adapter = sft.Adapter;
        logs[ReportMethodNames.Sft] = Log(sft);
        Evaluate(state, ReportMethodNames.Sft, model, methods, cancellationToken);

        var distilled = timings.Measure("distill", () => Distill(state, model, cancellationToken));
        Reset(state, sft, model);
        adapter = null;

        var soft = Train(state, "soft", _options.Soft, model, _scheduler, distilled, cancellationToken);
        adapter = soft.Adapter;
        logs[ReportMethodNames.Soft] = Log(soft);
        Evaluate(state, ReportMethodNames.Soft, model, methods, cancellationToken);

        var last = soft;
        if (_options.RunWithoutSelfAdaptation)
        {
            Reset(state, last, model);
            last = Train(state, "soft-distilled-only", _options.Soft, model, new ConstantLambda(1), distilled, cancellationToken);
            adapter = last.Adapter;
            logs[ReportMethodNames.WithoutSelfAdaptation] = Log(last);
            Evaluate(state, ReportMethodNames.WithoutSelfAdaptation, model, methods, cancellationToken);
        }

        var curricula = new Dictionary<string, IReadOnlyList<CurriculumPoint>>(StringComparer.Ordinal);
        foreach (var variant in _variants)
        {
            Reset(state, last, model);
            last = Train(state, $"{VariantPrefix}-{FileSafe(variant.Name)}", _options.Soft, model, variant.Scheduler, distilled, cancellationToken, variant.SoftLabels ? SoftTargets(state, model, distilled, variant.Name) : null);
            adapter = last.Adapter;
            logs[variant.Name] = Log(last);
            curricula[variant.Name] = Curriculum(last.History);
            Evaluate(state, variant.Name, model, methods, cancellationToken);
        }

        var report = new SoftRunReport
        {
            Dataset = dataset.Name,
            BaseModel = _model.Description,
            Seed = _options.Seed,
            Preset = _options.Preset,
            Device = env.Device,
            Threads = env.Threads,
            StartedAt = lifetime.StartedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            PeakMemoryBytes = lifetime.RecordPeak(PeakMemory.GetPeakBytes()),
            Methods = methods,
            Curriculum = Curriculum(soft.History),
            VariantCurricula = curricula.Count > 0 ? curricula : null,
            StageSeconds = timings.All,
            TrainingLog = logs,
            DatasetStatistics = SoftRunReport.DescribeDataset(dataset.Statistics),
        };
        report.Save(run.PathOf(SoftRunReport.FileName));
        ReportMarkdown.Write(run.Root, report);
        TensorBoardLogger.Write(run.PathOf(TensorBoardLogger.FolderName), report);
        progress?.Report(new PipelineProgress("report", $"Report written to {run.PathOf(SoftRunReport.FileName)}"));
        return report;
    }

    /// <summary>
    /// Where in a run folder the per-sample test predictions of <paramref name="method"/> (a report method name) under
    /// <paramref name="evaluator"/> go, relative to the folder; see <see cref="PredictionsFile.Read"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string TestPredictionsFile(string method, string evaluator)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(evaluator);
        return $"predictions/{FileSafe(method)}-{evaluator}-test.jsonl";
    }

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();

    private sealed record RunState(RecommendationDataset Dataset, PromptTemplate Template, RunFolder Run, IProgress<PipelineProgress>? Progress, StageTimings Timings, LanguageModelSource Model);

    // The "base" stage: the source writes its model into the run folder once; later runs load the finished folder.
    private LanguageModelSource BuildBaseModel(RunState state, CancellationToken cancellationToken)
    {
        const string stage = "base";
        string folder = state.Run.PathOf(LanguageModelSource.BuiltFolderName);
        if (!state.Run.IsComplete(stage))
        {
            state.Progress?.Report(new PipelineProgress(stage, $"Building the base model: {_model.Description}"));
            StagedFolder.Build(folder, staging => BaseBuild()!(new BaseModelBuild
            {
                Dataset = state.Dataset,
                Template = state.Template,
                Folder = staging,
                Seed = _options.Seed,
                ValidationSamples = _options.ValidationSamples ?? 256,
                Progress = state.Progress,
                CancellationToken = cancellationToken,
            }));
            var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal)
                .Select(f => $"{LanguageModelSource.BuiltFolderName}/{Path.GetFileName(f)}").ToList();
            state.Run.Complete(stage, files);
        }
        var options = _model.LoadOptions;
        return new LanguageModelSource(_model.Description, () => TorchLanguageModel.Load(folder, options));
    }

    // The base stage's work: the source's own build, or, for a model folder with item tokens, a copy with them added.
    private Action<BaseModelBuild>? BaseBuild()
    {
        if (_model.Build is not null || !_options.ItemTokens)
            return _model.Build;
        string source = _model.Folder ?? throw new InvalidOperationException(
            $"SoftOptions.ItemTokens needs the base model as a folder (UseLanguageModel(folder)) or built per run; '{_model.Description}' is neither.");
        return build => ItemTokenVocabulary.Add(source, build.Dataset.Catalog, build.Folder);
    }

    private void Invalidate(RunFolder run, string stage)
    {
        if (stage == "eval")
        {
            run.Invalidate("eval/", withPrefix: true);
            return;
        }
        foreach (string later in StageOrder[Array.IndexOf(StageOrder, stage)..])
            run.Invalidate(later, withPrefix: true);
        // Variants are tested under their own method names, which no fixed prefix covers.
        foreach (var variant in _variants)
            run.Invalidate($"eval/{variant.Name}/", withPrefix: true);
    }

    private bool NeedsBaseCopy() => _options.Sft.Lora is null || _options.Soft.Lora is null;

    private IRecommendationEvaluator ValidationEvaluator() =>
        _options.ValidationEvaluator is { } name ? _evaluators.Single(e => e.Name == name) : _evaluators[0];

    private IDistanceMeasure? DistanceMeasure() =>
        ValidationEvaluator() as IDistanceMeasure ?? _evaluators.OfType<IDistanceMeasure>().FirstOrDefault();

    private void Prepare(RunState state, ILanguageModel model, ITextEmbedder baseEmbedder, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        bool reuse = state.Run.IsComplete("items");
        foreach (var evaluator in _evaluators.OfType<IPreparedEvaluator>())
        {
            state.Progress?.Report(new PipelineProgress("items", $"Preparing the {evaluator.Name} evaluator"));
            files.AddRange(evaluator.Prepare(new EvaluatorPreparation
            {
                RunFolder = state.Run,
                Dataset = state.Dataset,
                Template = state.Template,
                BaseEmbedder = baseEmbedder,
                BaseModel = model,
                Reuse = reuse,
                Progress = Samples(state.Progress, "items"),
            }, cancellationToken));
        }
        if (!reuse)
            state.Run.Complete("items", files);
    }

    private TrainingResult Train(RunState state, string stage, TrainingOptions stageOptions, TorchLanguageModel model, ICurriculumScheduler scheduler, IReadOnlyList<DistilledExample>? distilled, CancellationToken cancellationToken, IReadOnlyList<SoftTarget>? softTargets = null)
    {
        var options = stageOptions.Clone();
        options.Seed = _options.Seed;
        if (state.Template.ItemTokens && options.Lora is { } lora)
        {
            // The item rows of embed_tokens (and an untied lm_head) are new: LoRA alone would leave them frozen.
            int first = ItemTokenVocabulary.FirstId(model.Tokenizer, state.Dataset.Catalog);
            lora.TrainableTokenIndices = [.. (lora.TrainableTokenIndices ?? []).Union(Enumerable.Range(first, state.Dataset.Catalog.Count)).Order()];
        }
        var trainer = new CurriculumTrainer(Microsoft.Extensions.Options.Options.Create(options), _loggers.CreateLogger<CurriculumTrainer>());
        var real = state.Dataset.Train.Select(s => Pair(state, s)).ToList();
        var validation = SeededSubset.Select(state.Dataset.Valid, _options.ValidationSamples, _options.Seed, "validation-subset");
        var distanceSample = SeededSubset.Select(state.Dataset.Train, _options.DistanceSamples, _options.Seed, "distance-sample");
        var validator = ValidationEvaluator();
        var measure = DistanceMeasure();
        var job = new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = distilled?.Select(d => new PromptTarget(d.Prompt, d.DistilledTarget)).ToList(),
            DistilledSoftTargets = softTargets,
            Scheduler = scheduler,
            Distance = measure is null ? null : (m, ct) => measure.MeanDistance(m, state.Dataset, distanceSample, state.Template, ct),
            Validate = (m, ct) => validator.Evaluate(Request(state, m, validation), ct).Metrics,
            RunFolder = state.Run,
            Stage = stage,
        };
        var progress = state.Progress is null ? null : new Progress<TrainingProgress>(p => state.Progress.Report(new PipelineProgress(
            stage, $"epoch {p.Epoch}/{p.MaxEpochs}, step {p.Step}/{p.TotalSteps}", p.Step, p.TotalSteps, p.Epoch, p.Loss, p.Lambda, p.Eta)));
        _logger.LogInformation("Training stage {Stage} on {Count} prompts", stage, real.Count);
        return state.Timings.Measure(stage, () => trainer.Train(job, progress, cancellationToken));
    }

    // D̂'s soft labels as token distributions: item i is token first + i.
    private static IReadOnlyList<SoftTarget> SoftTargets(RunState state, ILanguageModel model, IReadOnlyList<DistilledExample> distilled, string variant)
    {
        if (!state.Template.ItemTokens || distilled.Any(d => d.SoftLabels is not { Count: > 0 }))
            throw new InvalidOperationException($"Variant '{variant}' trains on soft labels, but D̂ has none: they need item tokens (SoftOptions.ItemTokens) and a distiller that keeps them (BeamSelfDistillerOptions.SoftLabels > 0).");
        int first = ItemTokenVocabulary.FirstId(model.Tokenizer, state.Dataset.Catalog);
        return [.. distilled.Select(d => new SoftTarget([.. d.SoftLabels!.Select(l => first + l.Item)], [.. d.SoftLabels!.Select(l => l.Probability)]))];
    }

    private IReadOnlyList<DistilledExample> Distill(RunState state, ILanguageModel model, CancellationToken cancellationToken)
    {
        const string stage = "distill";
        string path = state.Run.PathOf(DistilledDatasetFile.FileName);
        if (state.Run.IsComplete(stage))
            return DistilledDatasetFile.Read(path);
        state.Progress?.Report(new PipelineProgress(stage, $"The SFT model answers {state.Dataset.Train.Count} training prompts"));
        var examples = _distiller.Distill(new DistillationRequest
        {
            Model = model,
            Dataset = state.Dataset,
            Samples = state.Dataset.Train,
            Template = state.Template,
            PartialResultsPath = state.Run.PathOf(PartialDistillationFileName),
            Progress = Samples(state.Progress, stage),
        }, cancellationToken);
        if (examples.Count != state.Dataset.Train.Count)
            throw new InvalidOperationException($"The self-distiller {_distiller.Name} returned {examples.Count} examples for {state.Dataset.Train.Count} training prompts; it must return one per prompt.");
        DistilledDatasetFile.Write(path, examples);
        state.Run.Complete(stage, [DistilledDatasetFile.FileName]);
        File.Delete(state.Run.PathOf(PartialDistillationFileName));
        return examples;
    }

    private void Evaluate(RunState state, string method, ILanguageModel model, Dictionary<string, IReadOnlyDictionary<string, double>> methods, CancellationToken cancellationToken)
    {
        foreach (var evaluator in _evaluators)
        {
            string stage = $"eval/{method}/{evaluator.Name}";
            string metricsFile = $"eval/{FileSafe(method)}/{evaluator.Name}.json";
            string predictionsFile = TestPredictionsFile(method, evaluator.Name);
            IReadOnlyDictionary<string, double> metrics;
            if (state.Run.IsComplete(stage))
            {
                metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(state.Run.PathOf(metricsFile)))!;
            }
            else
            {
                state.Progress?.Report(new PipelineProgress(stage, $"Testing {method} with the {evaluator.Name} evaluator on {state.Dataset.Test.Count} samples"));
                var result = state.Timings.Measure(stage, () => evaluator.Evaluate(Request(state, model, state.Dataset.Test, stage), cancellationToken));
                metrics = result.Metrics;
                PredictionsFile.Write(state.Run.PathOf(predictionsFile), result.Predictions);
                state.Run.WriteText(metricsFile, JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
                state.Run.Complete(stage, [metricsFile, predictionsFile]);
            }
            // The first evaluator's numbers carry the plain method name; others are qualified with the evaluator.
            methods[evaluator == _evaluators[0] ? method : $"{method} ({evaluator.Name})"] = metrics;
        }
    }

    private static EvaluationRequest Request(RunState state, ILanguageModel model, IReadOnlyList<RecommendationSample> samples, string? stage = null) => new()
    {
        Model = model,
        Dataset = state.Dataset,
        Samples = samples,
        Template = state.Template,
        Progress = stage is null ? null : Samples(state.Progress, stage),
    };

    // SOFT (and the ablation) start again from the base model: take the SFT adapter out, or reload full weights.
    private static void Reset(RunState state, TrainingResult trained, TorchLanguageModel model)
    {
        if (trained.Adapter is { } adapter)
        {
            adapter.Unload();
            return;
        }
        using var fresh = state.Model.Create();
        model.Module.load_state_dict(fresh.Module.state_dict());
    }

    private PromptTarget Pair(RunState state, RecommendationSample sample)
    {
        var rendered = state.Template.Render(sample, state.Dataset.Catalog);
        return new PromptTarget(rendered.Prompt, rendered.Completion);
    }

    private static IProgress<(int Done, int Total)>? Samples(IProgress<PipelineProgress>? progress, string stage) =>
        progress is null ? null : new Progress<(int Done, int Total)>(p => progress.Report(new PipelineProgress(stage, $"{p.Done}/{p.Total}", p.Done, p.Total)));

    private static IReadOnlyList<TrainingLogEntry> Log(TrainingResult result) =>
        [.. result.History.Epochs.Select(TrainingLogEntry.From)];

    private static IReadOnlyList<CurriculumPoint> Curriculum(CurriculumHistory history) =>
        [new CurriculumPoint { Epoch = 0, Distance = history.InitialDistance }, .. history.Epochs.Select(CurriculumPoint.From)];

    // ASCII letters, digits, '-' and '_' only (stage folders must be portable names); α, common in variant names,
    // is spelled out, and runs of '-' collapse: "SOFT (α=10)" → "SOFT-alpha-10".
    private static string FileSafe(string method)
    {
        string spelled = method.Replace("α", "alpha", StringComparison.Ordinal);
        string safe = string.Concat(spelled.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        while (safe.Contains("--", StringComparison.Ordinal))
            safe = safe.Replace("--", "-", StringComparison.Ordinal);
        return safe.Trim('-');
    }

    // The configuration a run folder belongs to: every option plus the names of the parts and the data's shape.
    private string ConfigJson(RecommendationDataset dataset, PromptTemplate template)
    {
        var json = new JsonObject
        {
            ["options"] = JsonSerializer.SerializeToNode(_options, new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }),
            ["baseModel"] = _model.Description,
            ["baseModelSettings"] = _model.Settings?.DeepClone(),
            ["dataset"] = new JsonObject
            {
                ["name"] = dataset.Name,
                ["train"] = dataset.Train.Count,
                ["valid"] = dataset.Valid.Count,
                ["test"] = dataset.Test.Count,
                ["items"] = dataset.Catalog.Count,
                ["historyLength"] = dataset.HistoryLength,
                // What the stages are built from, not only its shape: edited titles or another subset must not reuse them.
                ["titles"] = PartFingerprint.Hash(dataset.Catalog.Items.Select(i => i.Id + "\t" + i.Title)),
                ["samples"] = PartFingerprint.Hash(new[] { dataset.Train, dataset.Valid, dataset.Test }.SelectMany((split, s) => split.Select(x => $"{s}\t{x.UserId}\t{x.Target}\t{string.Join(' ', x.History)}"))),
            },
            ["template"] = template.Text,
            ["historySeparator"] = template.HistorySeparator,
            ["scheduler"] = _scheduler.Fingerprint(),
            ["variants"] = new JsonArray([.. _variants.Select(v => (JsonNode?)new JsonObject { ["name"] = v.Name, ["scheduler"] = v.Scheduler.Fingerprint(), ["softLabels"] = v.SoftLabels })]),
            ["distiller"] = new JsonObject { ["name"] = _distiller.Name, ["fingerprint"] = _distiller.Fingerprint() },
            ["evaluators"] = new JsonArray([.. _evaluators.Select(e => (JsonNode?)new JsonObject { ["name"] = e.Name, ["fingerprint"] = e.Fingerprint() })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Wall time per stage, kept in the run folder so that a resumed run still reports the whole run's times; each
    /// finished stage also records the process's peak memory, so that a process killed later does not lose it.
    /// </summary>
    private sealed class StageTimings(RunFolder run, RunLifetime lifetime)
    {
        private readonly Dictionary<string, double> _seconds = Load(run);

        public IReadOnlyDictionary<string, double> All => _seconds;

        public T Measure<T>(string stage, Func<T> work)
        {
            var watch = Stopwatch.StartNew();
            var result = work();
            Record(stage, watch.Elapsed.TotalSeconds);
            return result;
        }

        public void Measure(string stage, Action work) => Measure(stage, () => { work(); return 0; });

        // A stage reused from disk takes ~0 s now; keep the time it took when it really ran.
        private void Record(string stage, double seconds)
        {
            lifetime.RecordPeak(PeakMemory.GetPeakBytes());
            if (_seconds.TryGetValue(stage, out double before) && before > seconds)
                return;
            _seconds[stage] = Math.Round(seconds, 3);
            run.WriteText(StageSecondsFileName, JsonSerializer.Serialize(_seconds, new JsonSerializerOptions { WriteIndented = true }));
        }

        private static Dictionary<string, double> Load(RunFolder run)
        {
            string path = run.PathOf(StageSecondsFileName);
            // A forced fresh run must not inherit the times of the run it replaced.
            return !run.IsNew && File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)) ?? new(StringComparer.Ordinal)
                : new Dictionary<string, double>(StringComparer.Ordinal);
        }
    }
}
