using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Metrics;
using Soft.Models;
using Soft.Pipeline;
using Soft.Reporting;

namespace Soft.Benchmarks;

/// <summary>
/// The child process of the resource benchmark: one short run of the whole cpu-preset pipeline (base model built and
/// pre-trained, item table, SFT, D̂, SOFT, test evaluation with exact scoring and grounding, as the quickstart composes
/// it) for one <see cref="ResourceConfiguration"/>, in a process of its own so that its VmHWM is its own. The step
/// counts and sample subsets are smaller than the preset's, validation uses grounding and λ is fixed at 0.5 (see
/// below); batch sizes, model shape and evaluators are the preset's, and those set the peak. Prints one
/// <see cref="ResultPrefix"/> line with the <see cref="ResourceResult"/>.
/// </summary>
internal static class ResourceRun
{
    /// <summary>The start of the line that carries the result as JSON.</summary>
    public const string ResultPrefix = "RESULT ";

    private const long Seed = 42;

    public static int Run(ResourceConfiguration configuration)
    {
        var clock = Stopwatch.StartNew();
        var preset = SoftPresets.Cpu();
        var data = EmbeddedDatasets.LastFmSequences();
        var catalog = configuration.TitleCharacters is int characters ? TitleSynthesis.Lengthen(data.Catalog, characters, Seed) : data.Catalog;
        // Two epochs per stage, as the preset trains: steps / 2 optimizer steps of the preset's effective batch each.
        int trainSamples = configuration.Steps / 2 * preset.Sft.EffectiveBatchSize;
        var dataset = RecommendationDatasetBuilder.FromSequences(data.Name, catalog, data.Sequences, RecommendationDomain.Artists, new DatasetOptions
        {
            HistoryLength = configuration.History,
            TrainSubset = trainSamples,
            ValidSubset = configuration.ValidationSamples,
            TestSubset = configuration.TestSamples,
            Seed = Seed,
        });
        var pretraining = SoftPresets.CpuPretraining();
        pretraining.Steps = configuration.Steps;
        // One validation, after the last step: its batches are part of the peak as well.
        pretraining.EvaluationInterval = configuration.Steps;
        pretraining.WarmupSteps = Math.Min(pretraining.WarmupSteps, configuration.Steps / 2);

        var builder = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = Seed;
                o.Threads = configuration.Threads;
                o.ItemTokens = configuration.ItemTokens;
                o.MaxHistoryTitleTokens = configuration.MaxHistoryTitleTokens;
                // The subsets are already small; the base model's evaluation repeats SFT's with the same batches.
                o.ValidationSamples = null;
                o.EvaluateBaseModel = false;
                // Exact scoring with titles costs seconds per prompt (every title scored); it still tests SFT and SOFT,
                // and grounding, which validates here, generates in the same batches of 8 as at test time.
                o.ValidationEvaluator = "grounding";
            })
            .UseScratchLanguageModel(pretraining: pretraining)
            .UseDataset(dataset)
            // Both losses in every SOFT step, as the adaptive curriculum's second epoch has them in the quickstart
            // (λ₂ = 0.50; docs/BENCHMARKS.md): two forward graphs before one backward, the costlier case. A run of a
            // few steps would leave the adaptive λ at 1 (d has not moved) and measure only one.
            .UseFixedCurriculum(0.5)
            .UseBeamSelfDistiller()
            .AddExactScoringEvaluator()
            .AddGroundingEvaluator();

        string folder = Path.Combine(Path.GetTempPath(), "soft-resources-" + Guid.NewGuid().ToString("N"));
        var peaks = new StageTracker();
        builder.Services.AddSingleton<ILoggerFactory>(peaks);
        try
        {
            SoftRunReport report;
            using (var trainer = builder.Build())
                report = trainer.Run(folder, peaks);
            peaks.End();
            long peak = PeakMemory.GetPeakBytes();
            double seconds = clock.Elapsed.TotalSeconds;

            // Measured after the peak was read: what the run fed the model, as the pipeline fitted it.
            using var model = TorchLanguageModel.Load(Path.Combine(folder, LanguageModelSource.BuiltFolderName));
            var template = configuration.ItemTokens ? PromptTemplate.CompactItems(dataset.Domain) : PromptTemplate.Compact(dataset.Domain);
            var options = preset.Clone();
            options.ItemTokens = configuration.ItemTokens;
            options.MaxHistoryTitleTokens = configuration.MaxHistoryTitleTokens;
            var (fitted, fittedTemplate) = ContextLengthCheck.Fit(model, dataset, template, options);
            var tokenizer = model.Tokenizer;
            int longest = fitted.Train.Max(s =>
            {
                var rendered = fittedTemplate.Render(s, fitted.Catalog);
                return tokenizer.Encode(rendered.Prompt).Count + tokenizer.Encode(rendered.Completion, addBos: false).Count + 1;
            });
            // D̂'s answers are generated (up to the distiller's 64 new tokens), so a distilled pair can outrun the real one.
            int longestDistilled = DistilledDatasetFile.Read(Path.Combine(folder, DistilledDatasetFile.FileName))
                .Max(d => tokenizer.Encode(d.Prompt).Count + tokenizer.Encode(d.DistilledTarget, addBos: false).Count + 1);
            int truncated = new[] { DataSplit.Train, DataSplit.Valid, DataSplit.Test }
                .Sum(split => dataset.Samples(split).Zip(fitted.Samples(split)).Count(p => p.First.History.Count != p.Second.History.Count));
            var result = new ResourceResult
            {
                Configuration = configuration,
                MeanTitleCharacters = TitleSynthesis.MeanLength(catalog),
                MeanTitleTokens = catalog.Items.Average(i => tokenizer.Encode(i.Title, addBos: false).Count),
                Vocabulary = model.Config.VocabSize,
                TrainSamples = dataset.Train.Count,
                LongestTrainingTokens = longest,
                LongestDistilledTokens = longestDistilled,
                TruncatedSamples = truncated,
                SoftLambdas = [.. report.Training[ReportMethodNames.Soft].EpochRecords.Select(e => e.Lambda)],
                PeakBytes = peak,
                StagePeaks = peaks.Peaks,
                Seconds = Math.Round(seconds, 1),
            };
            Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    // VmHWM when each stage hands over to the next, read on the pipeline's thread at the boundary itself. Stages
    // announce themselves there (a direct report, or for training stages SoftTrainer's log line); the reports that
    // come through Progress<T> (training steps, samples done) are posted to the thread pool and can arrive after the
    // next stage has begun, so they are ignored.
    private sealed class StageTracker : IProgress<PipelineProgress>, ILoggerFactory
    {
        private readonly int _thread = Environment.CurrentManagedThreadId;
        private readonly List<StagePeak> _peaks = [];
        private string? _stage;

        public IReadOnlyList<StagePeak> Peaks => _peaks;

        public void Report(PipelineProgress value)
        {
            if (Environment.CurrentManagedThreadId == _thread)
                Begin(value.Stage, value.Message);
        }

        public void End() => Close();

        private void Begin(string stage, string message)
        {
            if (stage == _stage)
                return;
            Close();
            _stage = stage;
            Console.Error.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {stage}: {message}");
        }

        private void Close()
        {
            if (_stage is not null)
                _peaks.Add(new StagePeak(_stage, PeakMemory.GetPeakBytes()));
            _stage = null;
        }

        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(SoftTrainer).FullName ? new StageLogger(this) : NullLogger.Instance;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The stage tracker reads SoftTrainer's log only.");

        public void Dispose()
        {
        }

        // SoftTrainer logs "Training stage {Stage} on {Count} prompts" on its own thread just before a stage trains.
        private sealed class StageLogger(StageTracker tracker) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
                    && fields.FirstOrDefault(f => f.Key == "Stage").Value is string stage
                    && Environment.CurrentManagedThreadId == tracker._thread)
                    tracker.Begin(stage, formatter(state, exception));
            }
        }
    }
}
