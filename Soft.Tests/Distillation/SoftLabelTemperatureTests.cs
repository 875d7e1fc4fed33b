using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Metrics;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Tests.Pipeline;
using System.Text.Json.Nodes;

namespace Soft.Tests.Distillation;

/// <summary>
/// A soft-label variant's temperature reshapes the teacher's kept probabilities before the student learns them, and
/// is part of the run's configuration only when it is not 1 (runs from before it keep their hash).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SoftLabelTemperatureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Temperature_raises_each_probability_to_one_over_t_and_keeps_their_order()
    {
        SoftLabel[] labels = [new(4, 0.64), new(1, 0.32), new(9, 0.04), new(2, 0)];

        SoftLabelTemperature.Apply(labels, 1).Should().Equal(0.64, 0.32, 0.04, 0);
        var flat = SoftLabelTemperature.Apply(labels, 2);
        flat.Should().Equal([0.8, Math.Sqrt(0.32), 0.2, 0], (a, b) => Math.Abs(a - b) < 1e-12);

        // Renormalised (as the loss does), T = 2 moves mass from the top answer to the items below it.
        double sum = flat.Sum();
        (flat[0] / sum).Should().BeLessThan(0.64 / 1.0);
        (flat[2] / sum).Should().BeGreaterThan(0.04 / 1.0);
        var sharp = SoftLabelTemperature.Apply(labels, 0.5);
        (sharp[0] / sharp.Sum()).Should().BeGreaterThan(0.64);
    }

    [Theory]
    [InlineData(0.0, true, "*positive finite*0*")]
    [InlineData(-1.0, true, "*positive finite*")]
    [InlineData(double.NaN, true, "*positive finite*NaN*")]
    [InlineData(double.PositiveInfinity, true, "*positive finite*")]
    [InlineData(2.0, false, "*does not train on soft labels*")]
    public void A_temperature_that_cannot_apply_is_refused_when_the_variant_is_added(double temperature, bool softLabels, string message)
    {
        var add = () => new SoftTrainerBuilder().AddCurriculumVariant(new CurriculumVariant("SOFT hot", new FixedScheduler(1), softLabels, temperature));
        add.Should().Throw<ArgumentException>().WithMessage("*'SOFT hot'*SoftLabelTemperature*").WithMessage(message);
    }

    [Fact]
    public void Variant_names_say_the_temperature_only_when_it_is_not_one()
    {
        CurriculumSoftTrainerBuilderExtensions.SoftLabelVariantName(1).Should().Be("SOFT soft labels (α=1)");
        CurriculumSoftTrainerBuilderExtensions.SoftLabelVariantName(1, 2).Should().Be("SOFT soft labels (α=1, T=2)");
        CurriculumSoftTrainerBuilderExtensions.SoftLabelVariantName(0.5, 1.5).Should().Be("SOFT soft labels (α=0.5, T=1.5)");
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task The_student_learns_the_tempered_distribution_and_the_configuration_records_it()
    {
        // Two runs that differ only in the one variant's temperature: SFT, D̂ and the variant's shuffles are the same,
        // so the variant's losses on D̂ can differ only if the temperature reaches its targets.
        string cold = Path.Combine(_folder.Path, "t1"), hot = Path.Combine(_folder.Path, "t2");
        var atOne = await Run(cold, temperature: 1);
        var atTwo = await Run(hot, temperature: 2);

        atOne.Training[ReportMethodNames.Sft].EpochRecords.Select(e => e.RealLoss).Should()
            .Equal(atTwo.Training[ReportMethodNames.Sft].EpochRecords.Select(e => e.RealLoss), "SFT is the same in both runs");
        var one = atOne.Training[Variant].EpochRecords.Single();
        var two = atTwo.Training[Variant].EpochRecords.Single();
        (one.Lambda, two.Lambda).Should().Be((1.0, 1.0));
        two.DistilledLoss.Should().NotBe(one.DistilledLoss);

        Method(cold)["softLabels"]!.GetValue<bool>().Should().BeTrue();
        Method(cold).ContainsKey("softLabelTemperature").Should().BeFalse("a run at T = 1 keeps the configuration it had before temperatures");
        Method(hot)["softLabelTemperature"]!.GetValue<double>().Should().Be(2);
    }

    private const string Variant = "SOFT soft labels only";

    private static JsonObject Method(string run) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["methods"]!.AsArray()
            .Select(m => m!.AsObject()).Single(m => m["name"]!.GetValue<string>() == Variant);

    private static async Task<SoftRunReport> Run(string folder, double temperature)
    {
        using var trainer = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = 7;
                o.Threads = 2;
                o.ValidationSamples = 4;
                o.DistanceSamples = 4;
                o.EvaluateBaseModel = false;
                foreach (var stage in new[] { o.Sft, o.Soft })
                {
                    stage.MaxEpochs = 1;
                    stage.EarlyStoppingPatience = 0;
                    stage.MicroBatchSize = 8;
                    stage.EffectiveBatchSize = 8;
                    stage.WarmupSteps = 0;
                    stage.Lora = null;
                }
            })
            .UseScratchLanguageModel(ScratchModelOptions.Tiny, new CatalogPretrainingOptions { Steps = 6, BatchSize = 8, WarmupSteps = 0 })
            .UseDataset(() => SmallLastFm.Load(trainUsers: 4, otherUsers: 2, maxItemsPerUser: 8,
                new DatasetOptions { HistoryLength = 3, TrainSubset = null, ValidSubset = null, TestSubset = null }))
            .UseAdaptiveCurriculum(alpha: 1)
            .UseBeamSelfDistiller(o => o.SoftLabels = 5)
            .AddGroundingEvaluator()
            .AddCurriculumVariant(new CurriculumVariant(Variant, new FixedScheduler(1), SoftLabels: true, temperature))
            .Build();
        return await trainer.RunAsync(folder);
    }
}
