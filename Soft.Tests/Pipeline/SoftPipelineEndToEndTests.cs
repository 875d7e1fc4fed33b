using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Models.Lora;
using Soft.Metrics;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Pipeline;

/// <summary>
/// SFT → D̂ → SOFT → evaluation on real data (a LastFM slice) with the real tiny model (stories260K), in a small
/// configuration; checks properties of the method, not numbers.
/// </summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SoftPipelineEndToEndTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SoftTrainer Build(long seed = 3) => new SoftTrainerBuilder()
        .UsePreset(SoftPresets.CpuName)
        .Configure(o =>
        {
            o.Seed = seed;
            o.Threads = 2;
            o.ValidationSamples = 6;
            o.DistanceSamples = 6;
            o.EvaluateBaseModel = true;
            // Titles, not item tokens: this test covers LoRA with titles and grounding (item tokens with LoRA: SoftRecommenderItemTokenLoraTests).
            o.ItemTokens = false;
            foreach (var stage in new[] { o.Sft, o.Soft })
            {
                stage.MaxEpochs = 2;
                stage.EarlyStoppingPatience = 0;
                stage.MicroBatchSize = 8;
                stage.EffectiveBatchSize = 8;
                stage.WarmupSteps = 0;
                // The adapter path (PEFT files per epoch); the scratch-model test covers full fine-tuning.
                stage.Lora = new LoraOptions { Rank = 8, Alpha = 16, TargetModules = ["q_proj", "v_proj"] };
            }
        })
        .UseLanguageModel(ModelTestKit.Stories)
        .UseDataset(() => SmallLastFm.Load(trainUsers: 4, otherUsers: 3, maxItemsPerUser: 8,
            new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = null }))
        .UseAdaptiveCurriculum(alpha: 1)
        .UseBeamSelfDistiller(o => o.Decoding.MaxNewTokens = 12)
        .AddGroundingEvaluator(o => o.Decoding.MaxNewTokens = 12)
        .Build();

    [Fact]
    public async Task Runs_every_stage_and_resumes_instead_of_recomputing()
    {
        using var trainer = Build();
        var report = await trainer.RunAsync(_folder.Path);

        // λ_1 = 1 with the adaptive scheduler, and later λ follow the formula from the logged distances.
        var soft = report.Training[ReportMethodNames.Soft];
        double d0 = soft.InitialDistance!.Value;
        var epochs = soft.EpochRecords;
        epochs[0].Lambda.Should().Be(1);
        for (int e = 1; e < epochs.Count; e++)
        {
            double expected = Math.Min(Math.Exp(1 * (epochs[e - 1].Distance!.Value / d0 - 1)), 1);
            epochs[e].Lambda.Should().BeApproximately(expected, 1e-12);
        }
        // Every stage says why it stopped and which epoch it kept; SOFT measures the loss on D and on D̂ every epoch.
        report.Training.Keys.Should().Equal(ReportMethodNames.Sft, ReportMethodNames.Soft);
        foreach (var training in report.Training.Values)
        {
            training.Epochs.Should().BeGreaterThan(0);
            training.BestEpoch.Should().BeInRange(1, training.Epochs);
        }
        report.Training[ReportMethodNames.Sft].EpochRecords.Should().OnlyContain(e => e.Lambda == 0 && e.RealLoss != null && e.DistilledLoss == null);
        epochs.Should().OnlyContain(e => e.RealLoss != null && e.DistilledLoss != null);

        // D̂ holds one distilled target per training prompt.
        var dataset = SmallLastFm.Load(4, 3, 8, new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = null });
        var distilled = DistilledDatasetFile.Read(Path.Combine(_folder.Path, DistilledDatasetFile.FileName));
        distilled.Should().HaveCount(dataset.Train.Count);
        distilled.Select(d => d.SampleIndex).Should().Equal(Enumerable.Range(0, dataset.Train.Count));

        // Metrics lie in [0, 1] and HR@K does not fall as K grows.
        report.MethodNames.Should().Contain([ReportMethodNames.GuidanceOnly, ReportMethodNames.Sft, ReportMethodNames.Soft]);
        foreach (var metrics in report.Results.Select(r => r.Metrics))
        {
            metrics.Values.Should().OnlyContain(v => v >= 0 && v <= 1);
            int[] ks = [1, 5, 10, 20, 50];
            ks.Zip(ks.Skip(1)).Should().OnlyContain(p => metrics[$"HR@{p.First}"] <= metrics[$"HR@{p.Second}"]);
        }

        // Artifacts reload, and a second run resumes: nothing is recomputed and the numbers are the same.
        SoftRunReport.Load(Path.Combine(_folder.Path, SoftRunReport.FileName)).Results.Should().BeEquivalentTo(report.Results);
        File.Exists(Path.Combine(_folder.Path, "sft", "best", "adapter_model.safetensors")).Should().BeTrue();
        File.Exists(Path.Combine(_folder.Path, "items.safetensors")).Should().BeTrue();
        var distilledWritten = File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, DistilledDatasetFile.FileName));

        // As if an earlier process of this run had started long ago and peaked higher than this one can: the resumed
        // report keeps both (issue #7).
        var longAgo = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        const long highPeak = 1L << 40;
        File.WriteAllText(Path.Combine(_folder.Path, RunLifetime.FileName), $$"""{ "StartedAt": "{{longAgo:O}}", "PeakMemoryBytes": {{highPeak}} }""");

        using var again = Build();
        var resumed = await again.RunAsync(_folder.Path);

        resumed.StartedAt.Should().Be(longAgo);
        resumed.PeakMemoryBytes.Should().Be(highPeak);
        resumed.Results.Should().BeEquivalentTo(report.Results);
        resumed.Training.Should().BeEquivalentTo(report.Training);
        resumed.Distillation.Should().Be(report.Distillation);
        File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, DistilledDatasetFile.FileName)).Should().Be(distilledWritten);

        // Rerunning one stage redoes it and what was built from it, with the same numbers (same seed).
        using var rerun = Build();
        var redone = await rerun.RunAsync(_folder.Path, rerun: [RunStage.Distill]);
        File.GetLastWriteTimeUtc(Path.Combine(_folder.Path, DistilledDatasetFile.FileName)).Should().BeAfter(distilledWritten);
        redone.Results.Should().BeEquivalentTo(report.Results);
        var unknown = () => rerun.RunAsync(_folder.Path, rerun: [(RunStage)42]);
        await unknown.Should().ThrowAsync<ArgumentException>().WithMessage("*42*items*distill*");
        RunStageNames.Parse("everything").Should().BeNull();
        RunStageNames.Parse(" Distill ").Should().Be(RunStage.Distill);
    }

    [Fact]
    public async Task Same_seed_and_threads_give_identical_numbers_and_artifacts()
    {
        string first = Path.Combine(_folder.Path, "a");
        string second = Path.Combine(_folder.Path, "b");
        SoftRunReport a, b;
        using (var trainer = Build())
            a = await trainer.RunAsync(first);
        using (var trainer = Build())
            b = await trainer.RunAsync(second);

        b.Results.Should().BeEquivalentTo(a.Results);
        // Wall-clock seconds differ between runs; everything the training measured does not.
        b.Training.Should().BeEquivalentTo(a.Training, o => o.ComparingByMembers<MethodTraining>().ComparingByMembers<EpochRecord>()
            .Excluding(m => m.Path.EndsWith("Seconds", StringComparison.Ordinal)));
        b.Distillation.Should().Be(a.Distillation);
        foreach (string artifact in new[] { DistilledDatasetFile.FileName, "items.safetensors", "sft/best/adapter_model.safetensors", "soft/best/adapter_model.safetensors" })
            File.ReadAllBytes(Path.Combine(second, artifact)).Should().Equal(File.ReadAllBytes(Path.Combine(first, artifact)), artifact);
    }

    [Fact]
    public async Task Another_seed_in_the_same_folder_is_refused()
    {
        using (var trainer = Build(seed: 3))
            await trainer.RunAsync(_folder.Path);
        using var other = Build(seed: 4);
        var act = () => other.RunAsync(_folder.Path);
        await act.Should().ThrowAsync<RunConfigMismatchException>();
    }
}
