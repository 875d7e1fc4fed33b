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
using Soft.Runs;
using Soft.Runtime;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// A composed SOFT pipeline (see <see cref="SoftTrainerBuilder"/>). <see cref="RunAsync"/> walks the stages of the
/// method, each an artifact in the run folder (see <see cref="RunStage"/>), so a rerun resumes from the last finished
/// stage or epoch: the base model when the run builds it; what the evaluators prepare; the untuned model's test
/// (optional); SFT (λ = 0) and its test; D̂, the SFT model's answers to its training prompts; SOFT, a fresh model
/// trained on D and D̂ under the curriculum, and its test; each variant (the ablation, another α, soft labels) and its
/// test; then <c>report.json</c>, <c>report.md</c> and <c>tensorboard/</c>.
/// </summary>
public sealed class SoftTrainer : IDisposable
{
    /// <summary>File in the run folder that collects finished answers while D̂ is built, so a killed run resumes.</summary>
    public const string PartialDistillationFileName = "distilled.partial.jsonl";

    /// <summary>File in the run folder that keeps each stage's wall time across resumed runs.</summary>
    public const string StageSecondsFileName = StageTimings.FileName;

    // The builder's own container, when the trainer owns it (null when a host's container holds the parts).
    private readonly IDisposable? _owned;
    private readonly SoftOptions _options;
    private readonly LanguageModelSource _model;
    private readonly DatasetSource _data;
    private readonly ISelfDistiller _distiller;
    private readonly IReadOnlyList<IRecommendationEvaluator> _evaluators;
    private readonly IReadOnlyList<TunedMethod> _methods;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    internal SoftTrainer(IDisposable? owned, ILoggerFactory? loggers, SoftOptions options, LanguageModelSource model, DatasetSource data,
        ICurriculumScheduler scheduler, ISelfDistiller distiller, IReadOnlyList<IRecommendationEvaluator> evaluators, IReadOnlyList<CurriculumVariant> variants)
    {
        (_owned, _options, _model, _data, _distiller, _evaluators) = (owned, options, model, data, distiller, evaluators);
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<SoftTrainer>();
        _methods =
        [
            new(ReportMethodNames.Sft, StageKey.Sft, new FixedScheduler(0), options.Sft, UsesDistilled: false),
            new(ReportMethodNames.Soft, StageKey.Soft, scheduler, options.Soft, UsesDistilled: true),
            .. variants.Select(v => new TunedMethod(v.Name, StageKey.Variant(v.Name), v.Scheduler, options.Soft, UsesDistilled: true, v.SoftLabels, v.SoftLabelTemperature)),
        ];
        if (_methods.FirstOrDefault(m => m.Scheduler.RequiresDistance) is { } needy && DistanceMeasure() is null)
            throw new InvalidOperationException($"The curriculum scheduler {needy.Scheduler.GetType().Name} of '{needy.Name}' needs the grounded distance d, but no evaluator measures it (add the grounding evaluator).");
    }

    /// <summary>A copy of the options in force.</summary>
    public SoftOptions Options => _options.Clone();

    /// <summary>The evaluators every method is tested with; the first (or the one named by <see cref="SoftOptions.ValidationEvaluator"/>) also validates during training.</summary>
    public IReadOnlyList<IRecommendationEvaluator> Evaluators => _evaluators;

    /// <summary>The report names of the methods the run fine-tunes, in run order (SFT, SOFT, then the variants).</summary>
    public IReadOnlyList<string> Methods => [.. _methods.Select(m => m.Name)];

    /// <summary>Runs (or resumes) the pipeline in <paramref name="runFolder"/> on a dedicated thread and returns the report.</summary>
    /// <param name="runFolder">Where every artifact goes; created if missing.</param>
    /// <param name="progress">Receives stage, epoch, step, loss, λ and ETA as the run advances.</param>
    /// <param name="forceFresh">Discard a run folder that belongs to another configuration instead of refusing it.</param>
    /// <param name="rerun">Stages to run again although they finished; every stage after one of them runs again too.</param>
    /// <param name="cancellationToken">Stops the run between steps; finished stages and epochs stay on disk.</param>
    /// <exception cref="RunConfigMismatchException">
    /// The folder holds a run with another configuration or layout. A configuration that only appends variants to the
    /// folder's is not another one: its finished stages are kept and only the new variants train.
    /// </exception>
    /// <exception cref="RunFolderInUseException">Another run (in this process or another) is using the folder.</exception>
    public Task<SoftRunReport> RunAsync(string runFolder, IProgress<PipelineProgress>? progress = null, bool forceFresh = false, IReadOnlyCollection<RunStage>? rerun = null, CancellationToken cancellationToken = default) =>
        // One long-running thread: TorchSharp's dispose scopes are thread-bound, so the work must not hop threads.
        Task.Factory.StartNew(() => Run(runFolder, progress, forceFresh, rerun, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs (or resumes) the pipeline synchronously on the calling thread; see <see cref="RunAsync"/>.</summary>
    public SoftRunReport Run(string runFolder, IProgress<PipelineProgress>? progress = null, bool forceFresh = false, IReadOnlyCollection<RunStage>? rerun = null, CancellationToken cancellationToken = default)
    {
        if (rerun?.Where(s => !Enum.IsDefined(s)).Cast<RunStage?>().FirstOrDefault() is { } unknown)
            throw new ArgumentException($"Cannot rerun stage {(int)unknown}; stages: {string.Join(", ", RunStageNames.All)}.", nameof(rerun));
        var started = DateTimeOffset.UtcNow;
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = _options.Device, Threads = _options.Threads, Seed = _options.Seed });
        progress?.Report(new PipelineProgress("data", "Loading the dataset"));
        var dataset = _data.Load(_options.Seed);
        var template = (_options.PromptStyle, _options.ItemTokens) switch
        {
            (PromptStyle.Alpaca, false) => PromptTemplate.Alpaca(dataset.Domain),
            (PromptStyle.Alpaca, true) => PromptTemplate.Alpaca(dataset.Domain).WithItemTokens(),
            (_, false) => PromptTemplate.Compact(dataset.Domain),
            (_, true) => PromptTemplate.CompactItems(dataset.Domain),
        };
        using var exclusive = RunFolderLock.Acquire(runFolder);
        string config = RunConfiguration.Json(_options, _model, dataset, template, _methods, _distiller, _evaluators);
        var folder = RunFolder.Open(runFolder, config, forceFresh, extends: old => RunConfiguration.Extends(old, config));
        // What the reader read and dropped, beside the configuration, so a run's numbers can be traced to its data.
        folder.WriteText(DatasetReport.FileName, dataset.Report.ToJson());
        var lifetime = RunLifetime.Open(folder, started);
        var stages = new StageRunner(folder, new StageTimings(folder, lifetime), progress);
        var plan = Plan();
        foreach (var stage in rerun ?? [])
            stages.Invalidate(plan, stage);
        if (folder.Extended)
        {
            // Variants added to a run: their stages train now, the finished ones are kept; serving lists every method.
            _logger.LogInformation("{Folder} holds this run without its last methods; the finished stages are kept and the methods added", folder.Root);
            folder.Invalidate(ServingFiles.Stage);
        }

        var source = BaseModel(stages, dataset, template, cancellationToken);
        using var model = source.Create();
        (dataset, template) = ContextLengthCheck.Fit(model, dataset, template, _options);
        var run = new MethodRun(stages, dataset, template, source, _loggers);
        // What serving needs besides weights (catalogue, template, history length), so it never re-reads the data files.
        string? baseFolder = BaseBuild() is not null ? LanguageModelSource.BuiltFolderName : _model.Folder is { } given ? Path.GetFullPath(given) : null;
        ServingFiles.WriteOnce(folder, dataset, template, _options.MaxHistoryTitleTokens, baseFolder, _methods.Select(m => (m.Name, m.Stage.Name, m.Options.Lora is not null)));
        LoraAdapter? adapter = null;
        using var baseCopy = _methods.Any(m => m.Options.Lora is null) ? source.Create() : null;
        run.PrepareEvaluators(_evaluators, model, baseCopy ?? (ITextEmbedder)new BaseModelEmbedder(model, () => adapter), cancellationToken);

        var results = new List<MethodResult>();
        var training = new Dictionary<string, MethodTraining>(StringComparer.Ordinal);
        if (_options.EvaluateBaseModel)
            results.AddRange(run.Test(ReportMethodNames.GuidanceOnly, model, _evaluators, cancellationToken));

        IReadOnlyList<DistilledExample>? distilled = null;
        DistillationDiagnostics? diagnostics = null;
        TrainingResult? last = null;
        foreach (var method in _methods)
        {
            if (last is not null)
                run.Reset(last, model);
            var job = run.Job(method, model, distilled, ValidationEvaluator(), DistanceMeasure(), _options);
            _logger.LogInformation("Training stage {Stage} on {Count} prompts", method.Stage.Name, job.RealPairs.Count);
            var trainer = run.Trainer(method, model, _options.Seed);
            var progressOfStage = run.Training(method);
            last = stages.Measure(method.Stage, () => trainer.Train(job, progressOfStage, cancellationToken));
            adapter = last.Adapter;
            training[method.Name] = MethodTraining.From(last);
            results.AddRange(run.Test(method.Name, model, _evaluators, cancellationToken));
            // D̂: the SFT model answers its own training prompts (self-distillation).
            if (method.Stage == StageKey.Sft)
            {
                distilled = run.Distill(_distiller, model, cancellationToken);
                diagnostics = DistillationDiagnostics.Measure(distilled, dataset.Train, template, dataset.Catalog);
            }
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
            Results = results,
            Training = training,
            Distillation = diagnostics,
            StageSeconds = stages.Seconds,
            DatasetStatistics = SoftRunReport.DescribeDataset(dataset.Statistics),
        };
        report.Save(folder.PathOf(SoftRunReport.FileName));
        ReportMarkdown.Write(folder.Root, report);
        TensorBoardLogger.Write(folder.PathOf(TensorBoardLogger.FolderName), report);
        progress?.Report(new PipelineProgress("report", $"Report written to {folder.PathOf(SoftRunReport.FileName)}"));
        return report;
    }

    /// <summary>
    /// Where in a run folder the per-sample test predictions of <paramref name="method"/> (a report method name) under
    /// <paramref name="evaluator"/> go, relative to the folder: JSON Lines, one <see cref="SamplePrediction"/> per line.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string TestPredictionsFile(string method, string evaluator)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(evaluator);
        return StageKey.PredictionsFile(method, evaluator);
    }

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();

    // Every stage in run order, for reruns: a stage's artifacts are built from those before it.
    private List<StageKey> Plan()
    {
        var plan = new List<StageKey> { StageKey.Base, StageKey.Items };
        plan.AddRange(_evaluators.Select(e => StageKey.Evaluation(ReportMethodNames.GuidanceOnly, e.Name)));
        foreach (var method in _methods)
        {
            plan.Add(method.Stage);
            plan.AddRange(_evaluators.Select(e => StageKey.Evaluation(method.Name, e.Name)));
            if (method.Stage == StageKey.Sft)
                plan.Add(StageKey.Distill);
        }
        return plan;
    }

    // The base stage: a source that builds its model writes it into the run folder once; later runs load the folder.
    private LanguageModelSource BaseModel(StageRunner stages, RecommendationDataset dataset, PromptTemplate template, CancellationToken cancellationToken)
    {
        if (BaseBuild() is not { } build)
            return _model;
        string folder = stages.Run.PathOf(LanguageModelSource.BuiltFolderName);
        stages.Once(StageKey.Base, $"Building the base model: {_model.Description}", load: () => 0, build: () =>
        {
            StagedFolder.Build(folder, staging => build(new BaseModelBuild
            {
                Dataset = dataset,
                Template = template,
                Folder = staging,
                Seed = _options.Seed,
                ValidationSamples = _options.ValidationSamples ?? 256,
                Progress = stages.Progress,
                CancellationToken = cancellationToken,
            }));
            return (0, [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => $"{LanguageModelSource.BuiltFolderName}/{Path.GetFileName(f)}")]);
        });
        var options = (_model.LoadOptions ?? new ModelLoadOptions()).On(_options.Device);
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

    private IRecommendationEvaluator ValidationEvaluator() =>
        _options.ValidationEvaluator is { } name ? _evaluators.Single(e => e.Name == name) : _evaluators[0];

    private IDistanceMeasure? DistanceMeasure() =>
        ValidationEvaluator() as IDistanceMeasure ?? _evaluators.OfType<IDistanceMeasure>().FirstOrDefault();
}
