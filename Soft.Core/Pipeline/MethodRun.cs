using System.Text.Json;
using Microsoft.Extensions.Logging;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Reporting;
using Soft.Runs;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// The stages of one run that every method goes through — prepare the evaluators, train, test, distil, start again
/// from the base model — over the run's final data and template. <see cref="SoftTrainer.Run"/> orders them.
/// </summary>
internal sealed class MethodRun(StageRunner stages, RecommendationDataset dataset, PromptTemplate template, LanguageModelSource source, ILoggerFactory loggers)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void PrepareEvaluators(IReadOnlyList<IRecommendationEvaluator> evaluators, ILanguageModel model, ITextEmbedder baseEmbedder, CancellationToken cancellationToken)
    {
        var prepared = evaluators.OfType<IPreparedEvaluator>().ToList();
        bool reuse = stages.IsDone(StageKey.Items);
        // A finished stage still calls Prepare (with Reuse) so that each evaluator loads what it prepared.
        var files = stages.Measure(StageKey.Items, () => prepared.SelectMany(evaluator =>
        {
            stages.Progress?.Report(new PipelineProgress(StageKey.Items.Name, $"Preparing the {evaluator.Name} evaluator"));
            return evaluator.Prepare(new EvaluatorPreparation
            {
                RunFolder = stages.Run,
                Dataset = dataset,
                Template = template,
                BaseEmbedder = baseEmbedder,
                BaseModel = model,
                Reuse = reuse,
                Progress = Samples(StageKey.Items),
            }, cancellationToken);
        }).ToList());
        if (!reuse)
            stages.Run.Complete(StageKey.Items.Name, files);
    }

    public CurriculumTrainer Trainer(TunedMethod method, ILanguageModel model, long seed)
    {
        var options = method.Options.Clone();
        // The run's seed unless the user overrides training's on purpose.
        options.Seed ??= seed;
        if (template.ItemTokens && options.Lora is { } lora)
        {
            // The item rows of embed_tokens (and an untied lm_head) are new: LoRA alone would leave them frozen.
            int first = ItemTokenVocabulary.FirstId(model.Tokenizer, dataset.Catalog);
            lora.TrainableTokenIndices = [.. (lora.TrainableTokenIndices ?? []).Union(Enumerable.Range(first, dataset.Catalog.Count)).Order()];
        }
        return new CurriculumTrainer(Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<CurriculumTrainer>());
    }

    public TrainingJob Job(TunedMethod method, ITrainableLanguageModel model, IReadOnlyList<DistilledExample>? distilled, IRecommendationEvaluator validator, IDistanceMeasure? measure, SoftOptions options)
    {
        var validation = SeededSubset.Select(dataset.Valid, options.ValidationSamples, options.Seed, "validation-subset");
        var distanceSample = SeededSubset.Select(dataset.Train, options.DistanceSamples, options.Seed, "distance-sample");
        if (method.UsesDistilled && distilled is null)
            throw new InvalidOperationException($"'{method.Name}' trains on D̂, which the SFT stage makes; SFT must run first.");
        return new TrainingJob
        {
            Model = model,
            RealPairs = [.. dataset.Train.Select(s => template.Render(s, dataset.Catalog)).Select(r => new PromptTarget(r.Prompt, r.Completion))],
            DistilledPairs = method.UsesDistilled ? [.. distilled!.Select(d => new PromptTarget(d.Prompt, d.DistilledTarget))] : null,
            DistilledSoftTargets = method.SoftLabels ? SoftTargets(model, distilled!, method) : null,
            Scheduler = method.Scheduler,
            Distance = measure is null ? null : (m, ct) => measure.MeanDistance(m, dataset, distanceSample, template, ct),
            Validate = (m, ct) => validator.Evaluate(Request(m, validation), ct).Metrics,
            RunFolder = stages.Run,
            Stage = method.Stage.Name,
        };
    }

    public IProgress<TrainingProgress>? Training(TunedMethod method) => stages.Progress is not { } progress ? null : new Progress<TrainingProgress>(p => progress.Report(new PipelineProgress(
        method.Stage.Name, $"epoch {p.Epoch}/{p.MaxEpochs}, step {p.Step}/{p.TotalSteps}", p.Step, p.TotalSteps, p.Epoch, p.Loss, p.Lambda, p.Eta)));

    public IReadOnlyList<MethodResult> Test(string method, ILanguageModel model, IReadOnlyList<IRecommendationEvaluator> evaluators, CancellationToken cancellationToken) =>
        [.. evaluators.Select(evaluator =>
        {
            var stage = StageKey.Evaluation(method, evaluator.Name);
            string metricsFile = StageKey.MetricsFile(method, evaluator.Name);
            string predictionsFile = StageKey.PredictionsFile(method, evaluator.Name);
            var metrics = stages.Once<IReadOnlyDictionary<string, double>>(stage,
                $"Testing {method} with the {evaluator.Name} evaluator on {dataset.Test.Count} samples",
                load: () => JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(stages.Run.PathOf(metricsFile)))!,
                build: () =>
                {
                    var result = evaluator.Evaluate(Request(model, dataset.Test, stage), cancellationToken);
                    PredictionsFile.Write(stages.Run.PathOf(predictionsFile), result.Predictions);
                    stages.Run.WriteText(metricsFile, JsonSerializer.Serialize(result.Metrics, Indented));
                    return (result.Metrics, [metricsFile, predictionsFile]);
                });
            return new MethodResult(method, evaluator.Name, metrics);
        })];

    public IReadOnlyList<DistilledExample> Distill(ISelfDistiller distiller, ILanguageModel model, CancellationToken cancellationToken)
    {
        string path = stages.Run.PathOf(DistilledDatasetFile.FileName);
        return stages.Once(StageKey.Distill, $"The SFT model answers {dataset.Train.Count} training prompts",
            load: () => DistilledDatasetFile.Read(path),
            build: () =>
            {
                var examples = distiller.Distill(new DistillationRequest
                {
                    Model = model,
                    Dataset = dataset,
                    Samples = dataset.Train,
                    Template = template,
                    PartialResultsPath = stages.Run.PathOf(SoftTrainer.PartialDistillationFileName),
                    Progress = Samples(StageKey.Distill),
                }, cancellationToken);
                if (examples.Count != dataset.Train.Count)
                    throw new InvalidOperationException($"The self-distiller {distiller.Name} returned {examples.Count} examples for {dataset.Train.Count} training prompts; it must return one per prompt.");
                DistilledDatasetFile.Write(path, examples);
                File.Delete(stages.Run.PathOf(SoftTrainer.PartialDistillationFileName));
                return (examples, [DistilledDatasetFile.FileName]);
            });
    }

    // Every method after SFT starts again from the base model: take the adapter out, or reload full weights.
    public void Reset(TrainingResult trained, ITrainableLanguageModel model)
    {
        if (trained.Adapter is { } adapter)
        {
            adapter.Unload();
            return;
        }
        using var fresh = source.Create();
        model.Module.load_state_dict(fresh.Module.state_dict());
    }

    // D̂'s soft labels as token distributions: item i is token first + i.
    private IReadOnlyList<SoftTarget> SoftTargets(ILanguageModel model, IReadOnlyList<DistilledExample> distilled, TunedMethod method)
    {
        if (!template.ItemTokens || distilled.Any(d => d.SoftLabels is not { Count: > 0 }))
            throw new InvalidOperationException($"'{method.Name}' trains on soft labels, but D̂ has none: they need item tokens (SoftOptions.ItemTokens) and a distiller that keeps them (BeamSelfDistillerOptions.SoftLabels > 0).");
        int first = ItemTokenVocabulary.FirstId(model.Tokenizer, dataset.Catalog);
        return [.. distilled.Select(d => new SoftTarget([.. d.SoftLabels!.Select(l => first + l.Item)], SoftLabelTemperature.Apply(d.SoftLabels!, method.SoftLabelTemperature)))];
    }

    private EvaluationRequest Request(ILanguageModel model, IReadOnlyList<RecommendationSample> samples, StageKey? stage = null) => new()
    {
        Model = model,
        Dataset = dataset,
        Samples = samples,
        Template = template,
        Progress = stage is { } key ? Samples(key) : null,
    };

    private IProgress<(int Done, int Total)>? Samples(StageKey stage) => stages.Progress is not { } progress ? null
        : new Progress<(int Done, int Total)>(p => progress.Report(new PipelineProgress(stage.Name, $"{p.Done}/{p.Total}", p.Done, p.Total)));
}
