using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.Scratch;
using Soft.Reporting;
using Soft.Runs;
using Soft.Runtime;

namespace Soft.Pipeline;

/// <summary>
/// Composes a SOFT pipeline from its parts over an <see cref="IServiceCollection"/>, in the manner of
/// <c>IHttpClientBuilder</c>: the builder only records registrations; the assemblies that implement the parts add
/// their own extension methods (<c>UseAdaptiveCurriculum</c> in Soft.Curriculum, <c>UseBeamSelfDistiller</c> in
/// Soft.Distillation, <c>AddGroundingEvaluator</c> in Soft.Metrics). <see cref="Build"/> validates everything.
/// </summary>
public sealed class SoftTrainerBuilder
{
    private readonly bool _ownsServices;

    /// <summary>A builder over a new service collection, which <see cref="Build"/> turns into the trainer's own container.</summary>
    public SoftTrainerBuilder() : this(new ServiceCollection()) => _ownsServices = true;

    // Over a host's collection (services.AddSoft): parts go into the host's container, and the host resolves the trainer.
    internal SoftTrainerBuilder(IServiceCollection services)
    {
        Services = services ?? throw new ArgumentNullException(nameof(services));
        Services.AddValidatedOptions<SoftOptions, SoftOptionsValidator>();
    }

    /// <summary>The services the pipeline's parts are registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses the Hugging Face model folder <paramref name="folder"/> as the base model.</summary>
    /// <param name="folder">The model folder; <see cref="Build"/> checks that it holds a <c>config.json</c> and weights.</param>
    /// <param name="options">DType and checkpoint formats; the device is the run's (<see cref="SoftOptions.Device"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is empty, or <paramref name="options"/> names a device.</exception>
    public SoftTrainerBuilder UseLanguageModel(string folder, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        CheckNoDevice(options, nameof(options));
        // The files' checksums go into the run's configuration hash: replaced weights must not reuse old stages.
        var settings = Directory.Exists(folder) ? new JsonObject { ["files"] = PartFingerprint.Files(folder) } : null;
        Services.RemoveAll<LanguageModelSource>();
        // A factory, so that the model loads on the device of the options as configured when the trainer is composed.
        Services.AddSingleton(provider =>
        {
            var load = (options ?? new ModelLoadOptions()).On(provider.GetRequiredService<IOptions<SoftOptions>>().Value.Device);
            return new LanguageModelSource(folder, () => TorchLanguageModel.Load(folder, load)) { Folder = folder, LoadOptions = options, Settings = settings };
        });
        return this;
    }

    /// <summary>Uses <paramref name="source"/> to create the base model.</summary>
    /// <exception cref="ArgumentException">The source's <see cref="LanguageModelSource.LoadOptions"/> name a device.</exception>
    public SoftTrainerBuilder UseLanguageModel(LanguageModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckNoDevice(source.LoadOptions, nameof(source));
        Services.RemoveAll<LanguageModelSource>();
        Services.AddSingleton(source);
        return this;
    }

    // One place says where a run computes: SoftOptions.Device. Load options naming another would be ignored, so they are refused.
    private static void CheckNoDevice(ModelLoadOptions? options, string parameter)
    {
        if (options is { Device: not DevicePreference.Auto })
            throw new ArgumentException($"ModelLoadOptions.Device is {options.Device}, but a run's models load on the run's device: leave it unset and use Configure(o => o.Device = DevicePreference.{options.Device}).", parameter);
    }

    /// <summary>
    /// Uses a small LLaMA built for the run's dataset as the base model, for when no pretrained LLM fits the machine:
    /// compact catalogue tokenizer, seeded weights of <paramref name="shape"/>, pre-trained on catalogue text and the
    /// training interactions. The pipeline builds it as its first stage, into the run folder, and reuses it on resume.
    /// </summary>
    /// <param name="shape">Model shape; null for <see cref="SoftPresets.CpuScratchModel"/>.</param>
    /// <param name="pretraining">Pre-training settings; null for <see cref="SoftPresets.CpuPretraining"/>.</param>
    /// <param name="loadOptions">DType of the loaded model; the device is the run's (<see cref="SoftOptions.Device"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The shape or pre-training settings break a rule (the message names each property), or <paramref name="loadOptions"/> names a device.</exception>
    public SoftTrainerBuilder UseScratchLanguageModel(ScratchModelOptions? shape = null, CatalogPretrainingOptions? pretraining = null, ModelLoadOptions? loadOptions = null)
    {
        shape ??= SoftPresets.CpuScratchModel();
        pretraining ??= SoftPresets.CpuPretraining();
        ScratchModelOptionsValidator.ThrowIfInvalid(shape);
        CatalogPretrainingOptionsValidator.ThrowIfInvalid(pretraining);
        var settings = new JsonObject
        {
            ["shape"] = JsonSerializer.SerializeToNode(shape),
            ["pretraining"] = JsonSerializer.SerializeToNode(pretraining),
        };
        // Copies, so that the caller changing its objects later cannot make the build differ from the hashed settings.
        shape = settings["shape"].Deserialize<ScratchModelOptions>()!;
        pretraining = settings["pretraining"].Deserialize<CatalogPretrainingOptions>()!;
        string description = pretraining.EvaluationInterval > 0
            ? string.Create(CultureInfo.InvariantCulture, $"scratch LLaMA ({shape.HiddenSize} wide, {shape.Layers} layers) pre-trained up to {pretraining.Steps} steps, early-stopped")
            : string.Create(CultureInfo.InvariantCulture, $"scratch LLaMA ({shape.HiddenSize} wide, {shape.Layers} layers) pre-trained {pretraining.Steps} steps on the catalogue");
        return UseLanguageModel(LanguageModelSource.BuiltPerRun(description, build =>
        {
            var progress = build.Progress is null ? null : new Progress<PretrainingProgress>(p => build.Progress.Report(new PipelineProgress(
                "base", p.Validation is double v ? $"pre-training step {p.Step}/{p.Steps}, validation NDCG@10 {v:F4}" : $"pre-training step {p.Step}/{p.Steps}", p.Step, p.Steps, Loss: p.Loss)));
            // One run seed drives every random choice: the initialisation and the pre-training shuffle derive from it,
            // unless the caller overrides them on purpose.
            var seeded = settings["shape"].Deserialize<ScratchModelOptions>()!;
            seeded.Seed ??= SoftRandom.DeriveSeed(build.Seed, "base-model-init");
            var schedule = settings["pretraining"].Deserialize<CatalogPretrainingOptions>()!;
            schedule.Seed ??= SoftRandom.DeriveSeed(build.Seed, "base-model-pretraining");
            ScratchBaseModel.Build(build.Folder, build.Dataset, build.Template, seeded, schedule, progress, build.ValidationSamples, build.CancellationToken);
        }, settings, loadOptions));
    }

    /// <summary>
    /// Gives every catalogue item its own token (see <see cref="SoftOptions.ItemTokens"/>): a scratch base model is
    /// built with them; a model folder is copied into the run folder with the tokens added (stage <c>base</c>).
    /// </summary>
    public SoftTrainerBuilder UseItemTokens() => Configure(o => o.ItemTokens = true);

    /// <summary>Uses <paramref name="dataset"/>.</summary>
    public SoftTrainerBuilder UseDataset(RecommendationDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return UseDataset(() => dataset);
    }

    /// <summary>Loads the dataset with <paramref name="load"/> when the run starts.</summary>
    public SoftTrainerBuilder UseDataset(Func<RecommendationDataset> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return UseDataset(new DatasetSource(load));
    }

    /// <summary>Uses <paramref name="source"/>; <see cref="Build"/> checks its <see cref="DatasetSource.Path"/> when it has one.</summary>
    public SoftTrainerBuilder UseDataset(DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Services.RemoveAll<DatasetSource>();
        Services.AddSingleton(source);
        return this;
    }

    /// <summary>
    /// Loads the dataset in <paramref name="folder"/> when the run starts, in whichever supported format it holds
    /// (MovieLens, Amazon Reviews 2023, RecBole, D3/BIGRec, LastFM; see <see cref="DatasetFolder"/>).
    /// </summary>
    /// <param name="folder">The dataset folder; <see cref="Build"/> checks that it exists.</param>
    /// <param name="format">The format; null to detect it from the files.</param>
    /// <param name="options">Subsets, history length, split protocol and seed; null for the defaults (the paper's 4,096 / 512 / 1,000 samples).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is empty.</exception>
    public SoftTrainerBuilder UseDatasetFolder(string folder, DatasetFormat? format = null, DatasetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return UseDataset(new DatasetSource(seed => DatasetFolder.Load(folder, format, DatasetSource.Seeded(options, seed))) { Path = folder });
    }

    /// <summary>Uses the LastFM data embedded in Soft.Core (LLaRA's split), with <paramref name="options"/>.</summary>
    public SoftTrainerBuilder UseEmbeddedLastFm(DatasetOptions? options = null) =>
        UseDataset(new DatasetSource(seed => EmbeddedDatasets.LastFm(DatasetSource.Seeded(options, seed))));

    /// <summary>Registers <paramref name="scheduler"/> as the SOFT stage's curriculum (replacing any other).</summary>
    public SoftTrainerBuilder UseCurriculumScheduler(ICurriculumScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Services.RemoveAll<ICurriculumScheduler>();
        Services.AddSingleton(scheduler);
        return this;
    }

    /// <summary>Registers <paramref name="distiller"/> (replacing any other).</summary>
    public SoftTrainerBuilder UseSelfDistiller(ISelfDistiller distiller)
    {
        ArgumentNullException.ThrowIfNull(distiller);
        Services.RemoveAll<ISelfDistiller>();
        Services.AddSingleton(distiller);
        return this;
    }

    /// <summary>
    /// Adds a SOFT variant trained after SOFT in the same run, on the same SFT model and D̂, under
    /// <paramref name="scheduler"/> (see <see cref="CurriculumVariant"/>); variants run in the order added.
    /// </summary>
    /// <param name="name">Method name in the report; must differ from the pipeline's own methods and other variants.</param>
    /// <param name="scheduler">The variant's curriculum.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    public SoftTrainerBuilder AddCurriculumVariant(string name, ICurriculumScheduler scheduler) => AddCurriculumVariant(new CurriculumVariant(name, scheduler));

    /// <summary>Adds <paramref name="variant"/> (see <see cref="AddCurriculumVariant(string, ICurriculumScheduler)"/>), e.g. one trained on soft labels.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="variant"/> or its scheduler is null.</exception>
    /// <exception cref="ArgumentException">Its name is empty, or its soft-label temperature is not a positive finite number (or not 1 without soft labels).</exception>
    public SoftTrainerBuilder AddCurriculumVariant(CurriculumVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentException.ThrowIfNullOrWhiteSpace(variant.Name, nameof(variant));
        ArgumentNullException.ThrowIfNull(variant.Scheduler, nameof(variant));
        if (Distillation.SoftLabelTemperature.Problem(variant.SoftLabelTemperature, variant.SoftLabels) is { } problem)
            throw new ArgumentException($"The variant '{variant.Name}': CurriculumVariant.SoftLabelTemperature {problem}.", nameof(variant));
        Services.AddSingleton(variant);
        return this;
    }

    /// <summary>Adds <paramref name="evaluator"/> to the evaluators every method is tested with.</summary>
    public SoftTrainerBuilder AddEvaluator(IRecommendationEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        Services.AddSingleton(evaluator);
        return this;
    }

    /// <summary>Starts from the preset called <paramref name="name"/> (<c>paper</c> or <c>cpu</c>); later <see cref="Configure"/> calls refine it.</summary>
    public SoftTrainerBuilder UsePreset(string name)
    {
        var preset = SoftPresets.ByName(name);
        Services.Configure<SoftOptions>(o => o.CopyFrom(preset));
        return this;
    }

    /// <summary>Changes the options; calls apply in order.</summary>
    public SoftTrainerBuilder Configure(Action<SoftOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Validates the options and the composition and returns the pipeline. Nothing heavy happens here: models and
    /// data load when the run starts. What can be checked without loading is: a model folder must exist and hold a
    /// <c>config.json</c> and weights, and a dataset path must exist, so that a wrong path fails here, before a run
    /// folder is written.
    /// </summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names every broken option.</exception>
    /// <exception cref="InvalidOperationException">A part is missing; the message names the method that adds it.</exception>
    /// <exception cref="DirectoryNotFoundException">The model folder or the dataset path does not exist.</exception>
    /// <exception cref="FileNotFoundException">The model folder has no <c>config.json</c> or no weights.</exception>
    public SoftTrainer Build()
    {
        if (!_ownsServices)
            throw new InvalidOperationException("This builder registers into a host's services (services.AddSoft(...)); resolve SoftTrainer from the host's provider instead of calling Build.");
        var provider = Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            return Create(provider, provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    // Composes the trainer from the parts registered in `provider` (a host's, or the builder's own, which the trainer then owns).
    internal static SoftTrainer Create(IServiceProvider provider, ServiceProvider? owned)
    {
        var options = provider.GetRequiredService<IOptions<SoftOptions>>().Value;
        var model = provider.GetService<LanguageModelSource>()
            ?? throw Missing("base language model", "UseLanguageModel(folder)");
        var data = provider.GetService<DatasetSource>()
            ?? throw Missing("dataset", "UseDataset(...), UseDatasetFolder(folder) or UseEmbeddedLastFm()");
        if (model.Folder is { } modelFolder)
            CheckModelFolder(modelFolder);
        if (data.Path is { } dataPath && !File.Exists(dataPath) && !Directory.Exists(dataPath))
            throw new DirectoryNotFoundException($"The dataset path '{Path.GetFullPath(dataPath)}' does not exist (given to UseDatasetFolder or DatasetSource.Path).");
        var scheduler = provider.GetService<ICurriculumScheduler>()
            ?? throw Missing("curriculum scheduler", "UseAdaptiveCurriculum() (Soft.Curriculum) or UseCurriculumScheduler(...)");
        var distiller = provider.GetService<ISelfDistiller>()
            ?? throw Missing("self-distiller", "UseBeamSelfDistiller() (Soft.Distillation) or UseSelfDistiller(...)");
        var evaluators = provider.GetServices<IRecommendationEvaluator>().ToList();
        if (evaluators.Count == 0)
            throw Missing("evaluator", "AddGroundingEvaluator() (Soft.Metrics) or AddEvaluator(...)");
        if (evaluators.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != evaluators.Count)
            throw new InvalidOperationException($"Evaluator names must be unique; got {string.Join(", ", evaluators.Select(e => e.Name))}.");
        if (options.ValidationEvaluator is { } wanted && evaluators.All(e => e.Name != wanted))
            throw new OptionsValidationException(nameof(SoftOptions), typeof(SoftOptions),
                [$"ValidationEvaluator: no evaluator is called '{wanted}'; registered: {string.Join(", ", evaluators.Select(e => e.Name))}."]);
        var variants = provider.GetServices<CurriculumVariant>().ToList();
        string[] taken = [ReportMethodNames.GuidanceOnly, ReportMethodNames.Sft, ReportMethodNames.Soft];
        foreach (var variant in variants)
        {
            if (taken.Contains(variant.Name, StringComparer.Ordinal) || variants.Count(v => v.Name == variant.Name) > 1)
                throw new InvalidOperationException($"Curriculum variant '{variant.Name}': the name is already used; variant names must be unique and differ from {string.Join(", ", taken)}.");
            if (variants.FirstOrDefault(v => v.Name != variant.Name && StageKey.Variant(v.Name) == StageKey.Variant(variant.Name)) is { } twin)
                throw new InvalidOperationException($"Curriculum variants '{twin.Name}' and '{variant.Name}' would share the stage folder {StageKey.Variant(variant.Name).Name}; rename one (folders keep ASCII letters, digits, '-' and '_').");
        }
        return new SoftTrainer(owned, provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(), options.Clone(), model, data, scheduler, distiller, evaluators, variants);
    }

    /// <summary>The files <see cref="TorchLanguageModel.Load"/> needs first, checked by name only (nothing is read).</summary>
    private static void CheckModelFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"The model folder '{full}' does not exist (given to UseLanguageModel).");
        if (!File.Exists(Path.Combine(full, "config.json")))
            throw new FileNotFoundException($"The model folder '{full}' has no config.json; UseLanguageModel takes a Hugging Face model folder.", Path.Combine(full, "config.json"));
        string[] weights = [CheckpointFiles.Single, CheckpointFiles.Index, CheckpointFiles.Pickled, CheckpointFiles.PickledIndex];
        if (!weights.Any(w => File.Exists(Path.Combine(full, w))))
            throw new FileNotFoundException($"The model folder '{full}' has no weights: expected {string.Join(" or ", weights)}.", Path.Combine(full, CheckpointFiles.Single));
    }

    private static InvalidOperationException Missing(string what, string how) =>
        new($"The SOFT pipeline has no {what}. Add one with {how}.");
}
