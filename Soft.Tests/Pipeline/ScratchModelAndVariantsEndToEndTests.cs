using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Metrics;
using Soft.Models;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Runs;
using Soft.Serving;

namespace Soft.Tests.Pipeline;

/// <summary>
/// The pipeline with a base model it builds itself (scratch LLaMA pre-trained on the catalogue) and SOFT variants
/// (another α, the λ = 1 ablation) sharing one SFT model and D̂, on a LastFM slice.
/// </summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ScratchModelAndVariantsEndToEndTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SoftTrainer Build(double variantAlpha = 10, double? addedAlpha = null)
    {
        var builder = Builder(variantAlpha);
        if (addedAlpha is { } alpha)
            builder.AddAdaptiveCurriculumVariant(alpha);
        return builder.Build();
    }

    private static SoftTrainerBuilder Builder(double variantAlpha) => new SoftTrainerBuilder()
        .UsePreset(SoftPresets.CpuName)
        .Configure(o =>
        {
            o.Seed = 5;
            o.Threads = 2;
            o.ValidationSamples = 6;
            o.DistanceSamples = 6;
            o.EvaluateBaseModel = false;
            foreach (var stage in new[] { o.Sft, o.Soft })
            {
                stage.MaxEpochs = 2;
                stage.EarlyStoppingPatience = 0;
                stage.MicroBatchSize = 8;
                stage.EffectiveBatchSize = 8;
                stage.WarmupSteps = 0;
                stage.Lora = null;
            }
        })
        .UseScratchLanguageModel(ScratchModelOptions.Tiny, new CatalogPretrainingOptions { Steps = 12, BatchSize = 8, WarmupSteps = 2 })
        .UseDataset(() => SmallLastFm.Load(trainUsers: 4, otherUsers: 3, maxItemsPerUser: 8,
            new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = null }))
        .UseAdaptiveCurriculum(alpha: 1)
        .AddWithoutSelfAdaptationVariant()
        .AddAdaptiveCurriculumVariant(variantAlpha)
        .UseBeamSelfDistiller(o => o.Decoding.MaxNewTokens = 12)
        .AddGroundingEvaluator(o => o.Decoding.MaxNewTokens = 12);

    [Fact]
    public async Task Builds_the_base_model_once_and_trains_every_variant_on_the_same_distilled_data()
    {
        using var trainer = Build();
        var report = await trainer.RunAsync(_folder.Path);

        string weights = Path.Combine(_folder.Path, LanguageModelSource.BuiltFolderName, "model.safetensors");
        File.Exists(weights).Should().BeTrue();
        using (var built = TorchLanguageModel.Load(Path.GetDirectoryName(weights)!))
            built.Config.LayerCount.Should().Be(ScratchModelOptions.Tiny.Layers);
        report.BaseModel.Should().StartWith("scratch LLaMA");
        report.StageSeconds.Keys.First().Should().Be("base");

        string variant = CurriculumSoftTrainerBuilderExtensions.VariantName(10);
        variant.Should().Be("SOFT (α=10)");
        report.MethodNames.Should().Equal(ReportMethodNames.Sft, ReportMethodNames.Soft, ReportMethodNames.WithoutSelfAdaptation, variant);
        report.Results.Should().OnlyContain(r => r.Evaluator == "grounding");
        Directory.Exists(Path.Combine(_folder.Path, "soft-variant-SOFT-w-o-self-adaptation")).Should().BeTrue();
        report.Training.Keys.Should().Equal(ReportMethodNames.Sft, ReportMethodNames.Soft, ReportMethodNames.WithoutSelfAdaptation, variant);
        report.Training[ReportMethodNames.WithoutSelfAdaptation].EpochRecords.Should().OnlyContain(e => e.Lambda == 1);

        // The variant follows its own α from its own distances: λ_e = min(exp(10·(d_{e−1}/d_0 − 1)), 1).
        var training = report.Training[variant];
        double d0 = training.InitialDistance!.Value;
        var epochs = training.EpochRecords;
        epochs[0].Lambda.Should().Be(1);
        for (int e = 1; e < epochs.Count; e++)
            epochs[e].Lambda.Should().BeApproximately(Math.Min(Math.Exp(10 * (epochs[e - 1].Distance!.Value / d0 - 1)), 1), 1e-12);

        // Every method, the variant included, can be served from the folder.
        SoftRecommender.Methods(_folder.Path).Should().Equal(ReportMethodNames.GuidanceOnly, ReportMethodNames.Sft, ReportMethodNames.Soft, ReportMethodNames.WithoutSelfAdaptation, variant);
        using (var served = SoftRecommender.Load(_folder.Path, new RecommenderOptions { Method = variant }))
            served.Recommend([served.Catalog[0].Id], 3).Should().HaveCount(3);

        // Resuming rebuilds nothing (nor rewrites the serving files); another α for the variant is another configuration.
        var builtAt = File.GetLastWriteTimeUtc(weights);
        var servingAt = File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, ServingManifest.FileName));
        using (var again = Build())
            (await again.RunAsync(_folder.Path)).Results.Should().BeEquivalentTo(report.Results);
        File.GetLastWriteTimeUtc(weights).Should().Be(builtAt);
        File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, ServingManifest.FileName)).Should().Be(servingAt);
        using var other = Build(variantAlpha: 100);
        var act = () => other.RunAsync(_folder.Path);
        await act.Should().ThrowAsync<RunConfigMismatchException>();

        // A variant appended to the same configuration trains alone: the finished stages stay as they were.
        string added = CurriculumSoftTrainerBuilderExtensions.VariantName(0.5);
        string sftWeights = Path.Combine(_folder.Path, "sft", "best", "model.safetensors");
        var sftAt = File.GetLastWriteTimeUtc(sftWeights);
        SoftRunReport extended;
        using (var more = Build(addedAlpha: 0.5))
            extended = await more.RunAsync(_folder.Path);
        extended.MethodNames.Should().Equal(ReportMethodNames.Sft, ReportMethodNames.Soft, ReportMethodNames.WithoutSelfAdaptation, variant, added);
        extended.Results.Where(r => r.Method != added).Should().BeEquivalentTo(report.Results);
        extended.Training[added].EpochRecords.Should().NotBeEmpty();
        File.GetLastWriteTimeUtc(sftWeights).Should().Be(sftAt, "SFT is not trained again");
        File.GetLastWriteTimeUtc(weights).Should().Be(builtAt);
        SoftRecommender.Methods(_folder.Path).Should().EndWith(added, "serving lists the added method");
        using (var served = SoftRecommender.Load(_folder.Path, new RecommenderOptions { Method = added }))
            served.Recommend([served.Catalog[0].Id], 3).Should().HaveCount(3);

        // Without the added variant the configuration is the extended run's no more: refused, not silently shrunk.
        using var fewer = Build();
        var shrink = () => fewer.RunAsync(_folder.Path);
        await shrink.Should().ThrowAsync<RunConfigMismatchException>();
    }

    [Fact]
    public void Variant_names_must_be_unique_and_not_taken()
    {
        var builder = new SoftTrainerBuilder()
            .UseScratchLanguageModel()
            .UseEmbeddedLastFm()
            .UseAdaptiveCurriculum()
            .UseBeamSelfDistiller()
            .AddGroundingEvaluator()
            .AddAdaptiveCurriculumVariant(10)
            .AddAdaptiveCurriculumVariant(10);
        var act = () => builder.Build();
        act.Should().Throw<InvalidOperationException>().WithMessage("*SOFT (α=10)*unique*");

        var taken = () => new SoftTrainerBuilder().UseScratchLanguageModel().UseEmbeddedLastFm().UseAdaptiveCurriculum()
            .UseBeamSelfDistiller().AddGroundingEvaluator().AddAdaptiveCurriculumVariant(3, ReportMethodNames.Sft).Build();
        taken.Should().Throw<InvalidOperationException>().WithMessage("*'SFT'*");
    }
}
