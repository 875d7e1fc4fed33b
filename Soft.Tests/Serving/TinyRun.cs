using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Metrics;
using Soft.Models.Lora;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Tests.Pipeline;

namespace Soft.Tests.Serving;

/// <summary>
/// One finished pipeline run shared by a class of serving tests: the CPU preset with a tiny scratch base model on a
/// LastFM slice, SFT and SOFT one epoch each, tested by the exact evaluator only. A fixed λ needs no grounded
/// distance, so no decoding evaluator runs and the whole run takes seconds.
/// </summary>
public abstract class TinyRun : IDisposable
{
    private readonly TempFolder _folder = new();

    private readonly bool _itemTokens;
    private readonly bool _lora;

    /// <param name="itemTokens">Items as item tokens with full weights (the preset), or as titles with LoRA adapters.</param>
    protected TinyRun(bool itemTokens) : this(itemTokens, lora: !itemTokens)
    {
    }

    /// <param name="itemTokens">Items as item tokens, or as titles.</param>
    /// <param name="lora">LoRA adapters on the base model (with item tokens, also training the item rows), or full weights.</param>
    protected TinyRun(bool itemTokens, bool lora)
    {
        _itemTokens = itemTokens;
        _lora = lora;
        using var trainer = NewTrainer();
        trainer.Run(_folder.Path);
        Dataset = LoadDataset();
    }

    /// <summary>The finished run folder.</summary>
    public string Folder => _folder.Path;

    /// <summary>The run's data, loaded again the same way (the run does not truncate these short histories).</summary>
    public RecommendationDataset Dataset { get; }

    /// <summary>A trainer with the run's configuration, to run again on <see cref="Folder"/> (a resume).</summary>
    public SoftTrainer NewTrainer()
    {
        bool itemTokens = _itemTokens, lora = _lora;
        return new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = 11;
                o.Threads = 2;
                o.ItemTokens = itemTokens;
                o.ValidationSamples = 6;
                o.DistanceSamples = 6;
                o.EvaluateBaseModel = false;
                foreach (var stage in new[] { o.Sft, o.Soft })
                {
                    stage.MaxEpochs = 1;
                    stage.EarlyStoppingPatience = 0;
                    stage.MicroBatchSize = 8;
                    stage.EffectiveBatchSize = 8;
                    stage.WarmupSteps = 0;
                    stage.Lora = lora ? new LoraOptions { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj"] } : null;
                }
            })
            .UseScratchLanguageModel(ScratchModelOptions.Tiny, new CatalogPretrainingOptions { Steps = 12, BatchSize = 8, WarmupSteps = 2 })
            .UseDataset(LoadDataset)
            .UseFixedCurriculum(0.5)
            // An item token and EOS, or a short title.
            .UseBeamSelfDistiller(o => o.Decoding.MaxNewTokens = itemTokens ? 4 : 12)
            .AddExactScoringEvaluator()
            .Build();
    }

    /// <summary>Each test sample's history as item ids.</summary>
    public IReadOnlyList<IReadOnlyList<string>> TestHistories() =>
        [.. Dataset.Test.Select(s => (IReadOnlyList<string>)[.. s.History.Select(i => Dataset.Catalog[i].Id)])];

    /// <summary>
    /// Asserts that <paramref name="answers"/> (one whole-catalogue list per test sample, in test order) rank as the
    /// run's <paramref name="evaluator"/> ranked <paramref name="method"/>'s test samples: the same top items, and each
    /// target at its recorded rank.
    /// </summary>
    public void ShouldRankAsTheRunDid(IReadOnlyList<RecommendationList> answers, string method, string evaluator)
    {
        var predictions = PredictionsFile.Read(Path.Combine(Folder, SoftTrainer.TestPredictionsFile(method, evaluator)));
        var catalog = Dataset.Catalog;
        predictions.Should().HaveCount(Dataset.Test.Count);
        answers.Should().HaveCount(predictions.Count);
        for (int i = 0; i < predictions.Count; i++)
        {
            var p = predictions[i];
            answers[i].Take(p.TopItems.Count).Select(r => r.ItemId).Should().Equal(p.TopItems.Select(t => catalog[t].Id), $"sample {i}'s top items");
            answers[i].Select(r => r.ItemId).ToList().IndexOf(catalog[p.Target].Id).Should().Be(p.Rank, $"sample {i}'s target rank");
        }
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    private static RecommendationDataset LoadDataset() => SmallLastFm.Load(trainUsers: 6, otherUsers: 16, maxItemsPerUser: 8,
        new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = null });
}
