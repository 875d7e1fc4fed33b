using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Metrics;
using Soft.Models;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Tests.Models;
using Soft.Tests.Training;
using static TorchSharp.torch;

namespace Soft.Tests.Pipeline;

/// <summary>
/// Issue #14: a user's own model, evaluator, distiller and curriculum variant each join the pipeline with one builder
/// call, and the pipeline only uses them through the interfaces (<see cref="ITrainableLanguageModel"/>,
/// <see cref="IRecommendationEvaluator"/>, <see cref="ISelfDistiller"/>, <see cref="ICurriculumScheduler"/>).
/// </summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OwnPartsEndToEndTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_model_evaluator_distiller_and_variant_of_ones_own_run_through_the_pipeline()
    {
        var models = new List<InterceptingModel>();
        var evaluator = new LikelihoodEvaluator();
        var distiller = new RealTargetDistiller();
        using var trainer = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = 9;
                o.Threads = 2;
                o.ItemTokens = false;
                o.EvaluateBaseModel = false;
                o.ValidationSamples = 4;
                foreach (var stage in new[] { o.Sft, o.Soft })
                {
                    stage.MaxEpochs = 1;
                    stage.MicroBatchSize = 8;
                    stage.EffectiveBatchSize = 8;
                    stage.WarmupSteps = 0;
                    stage.Lora = null;
                }
            })
            .UseLanguageModel(new LanguageModelSource("counting stories260K", () =>
            {
                var model = new InterceptingModel(TorchLanguageModel.Load(ModelTestKit.Stories));
                models.Add(model);
                return model;
            }))
            .UseDataset(() => SmallLastFm.Load(trainUsers: 3, otherUsers: 2, maxItemsPerUser: 6,
                new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = 4 }))
            .UseFixedCurriculum(0.5)
            .UseSelfDistiller(distiller)
            .AddEvaluator(evaluator)
            .AddCurriculumVariant("mine", new FixedScheduler(0.25))
            .Build();

        var report = await trainer.RunAsync(_folder.Path);

        report.MethodNames.Should().Equal(ReportMethodNames.Sft, ReportMethodNames.Soft, "mine");
        report.Results.Should().OnlyContain(r => r.Evaluator == LikelihoodEvaluator.EvaluatorName);
        report.Training["mine"].EpochRecords.Should().OnlyContain(e => e.Lambda == 0.25);
        report.Training[ReportMethodNames.Soft].EpochRecords.Should().OnlyContain(e => e.Lambda == 0.5);
        distiller.Calls.Should().Be(1, "D̂ is made once, after SFT, and shared by SOFT and the variant");
        // Training went through the test's own model: every loss the trainer took is one the wrapper computed.
        models.Sum(m => m.Losses).Should().BeGreaterThan(0);
        evaluator.Calls.Should().BeGreaterThanOrEqualTo(3, "each method is tested once (validation adds more)");
    }

    // A wrapper over the real model that counts the losses it computes: the pipeline sees only the interface.
    // Ranks every item by the model's log-likelihood of its quoted title after the prompt, the slow exact way.
    private sealed class LikelihoodEvaluator : IRecommendationEvaluator
    {
        public const string EvaluatorName = "likelihood";

        public int Calls { get; private set; }

        public string Name => EvaluatorName;

        public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            var catalog = request.Dataset.Catalog;
            var accumulator = new RankingMetricsAccumulator(catalog.Count, request.Cutoffs);
            var predictions = new List<SamplePrediction>();
            for (int i = 0; i < request.Samples.Count; i++)
            {
                var sample = request.Samples[i];
                string prompt = request.Template.Render(sample, catalog).Prompt;
                double[] scores = request.Model.LogLikelihood([.. catalog.Items.Select(item => new PromptTarget(prompt, TitleQuoting.Quote(item.Title)))]);
                int rank = CatalogRanking.RankOf<double>(scores, sample.Target, RankingDirection.HigherIsBetter);
                int[] top = CatalogRanking.TopK<double>(scores, 20, RankingDirection.HigherIsBetter);
                accumulator.Add(rank, top);
                predictions.Add(new SamplePrediction(i, sample.UserId, sample.Target, rank, top, null));
            }
            return new EvaluationResult(Name, accumulator.Result().Values, predictions);
        }
    }

    // D̂ = D: the simplest distiller that satisfies the contract (one example per training prompt, in order).
    private sealed class RealTargetDistiller : ISelfDistiller
    {
        public int Calls { get; private set; }

        public string Name => "real-targets";

        public IReadOnlyList<DistilledExample> Distill(DistillationRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            return [.. request.Samples.Select((s, i) =>
            {
                var rendered = request.Template.Render(s, request.Dataset.Catalog);
                return new DistilledExample(i, s.UserId, rendered.Prompt, rendered.Completion, rendered.Completion, [rendered.Completion], [0.0]);
            })];
        }
    }
}
