using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Models;
using Soft.Pipeline;

namespace Soft.Tests.Pipeline;

public sealed class SoftTrainerBuilderTests
{
    private static SoftTrainerBuilder Complete(IRecommendationEvaluator? evaluator = null) => Parts(new SoftTrainerBuilder(), evaluator);

    private static SoftTrainerBuilder Parts(SoftTrainerBuilder builder, IRecommendationEvaluator? evaluator = null) => builder
        .UseLanguageModel(new LanguageModelSource("unused", () => throw new InvalidOperationException("Build must not load the model.")))
        .UseDataset(() => throw new InvalidOperationException("Build must not load the data."))
        .UseAdaptiveCurriculum(alpha: 1)
        .UseSelfDistiller(new UnusedDistiller())
        .AddEvaluator(evaluator ?? new UnusedDistanceEvaluator("grounding"));

    [Fact]
    public void A_complete_composition_builds_without_loading_anything()
    {
        using var trainer = Complete().UsePreset("cpu").Configure(o => o.Seed = 7).Build();
        trainer.Options.Seed.Should().Be(7);
        trainer.Options.Preset.Should().Be(SoftPresets.CpuName);
        trainer.Evaluators.Select(e => e.Name).Should().Equal("grounding");
    }

    [Fact]
    public void The_report_names_the_preset_the_run_started_from_and_none_without_one()
    {
        using (var trainer = Complete().UsePreset("PAPER").Configure(o => o.PromptStyle = PromptStyle.Compact).Build())
            trainer.Options.Preset.Should().Be(SoftPresets.PaperName);
        using (var trainer = Complete().Configure(o => o.Seed = 7).Build())
            trainer.Options.Preset.Should().Be(SoftPresets.NoneName);
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("cpu")]
    public void UsePreset_carries_every_setting_of_the_preset(string name)
    {
        using var trainer = Complete().UsePreset(name).Build();
        System.Text.Json.JsonSerializer.Serialize(trainer.Options).Should().Be(System.Text.Json.JsonSerializer.Serialize(SoftPresets.ByName(name)));
    }

    [Fact]
    public void Presets_differ_where_the_paper_and_the_cpu_do()
    {
        var paper = SoftPresets.ByName("PAPER");
        paper.PromptStyle.Should().Be(PromptStyle.Alpaca);
        paper.Sft.EffectiveBatchSize.Should().Be(256);
        paper.Sft.Lora!.TargetModules.Should().Equal("q_proj", "v_proj");
        SoftPresets.Cpu().PromptStyle.Should().Be(PromptStyle.Compact);
        SoftPresets.Cpu().Sft.Lora.Should().BeNull("the cpu preset's base model is small enough to fine-tune fully");
        var act = () => SoftPresets.ByName("gpu-please");
        act.Should().Throw<ArgumentException>().WithMessage("*gpu-please*paper*cpu*");
    }

    [Theory]
    [InlineData("model", "UseLanguageModel")]
    [InlineData("data", "UseDataset")]
    [InlineData("distiller", "UseBeamSelfDistiller")]
    [InlineData("evaluator", "AddGroundingEvaluator")]
    public void A_missing_part_names_the_method_that_adds_it(string missing, string method)
    {
        var builder = new SoftTrainerBuilder().UseAdaptiveCurriculum();
        if (missing != "model")
            builder.UseLanguageModel(new LanguageModelSource("m", () => throw new InvalidOperationException()));
        if (missing != "data")
            builder.UseDataset(() => throw new InvalidOperationException());
        if (missing != "distiller")
            builder.UseSelfDistiller(new UnusedDistiller());
        if (missing != "evaluator")
            builder.AddEvaluator(new UnusedDistanceEvaluator("grounding"));

        var act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage($"*{method}*");
    }

    [Theory]
    [InlineData("missing", "*does not exist*UseLanguageModel*")]
    [InlineData("no-config", "*has no config.json*")]
    [InlineData("no-weights", "*has no weights*model.safetensors*")]
    public void Build_checks_the_model_folder_before_a_run_folder_is_written(string problem, string message)
    {
        using var temp = new Soft.Tests.TempFolder();
        string model = temp.Combine("model");
        if (problem != "missing")
            Directory.CreateDirectory(model);
        if (problem == "no-weights")
            File.WriteAllText(System.IO.Path.Combine(model, "config.json"), "{}");
        if (problem == "no-config")
            File.WriteAllText(System.IO.Path.Combine(model, "model.safetensors"), "");
        string run = temp.Combine("run");
        var builder = Complete().UseLanguageModel(model);

        var act = () => builder.Build();

        act.Should().Throw<IOException>().WithMessage(message).And.Message.Should().Contain(model);
        Directory.Exists(run).Should().BeFalse("there is no trainer to write one");
    }

    [Fact]
    public void Build_accepts_a_model_folder_with_config_and_weights_without_reading_them()
    {
        using var temp = new Soft.Tests.TempFolder();
        Directory.CreateDirectory(temp.Combine("model"));
        // Not a valid config or checkpoint: Build checks names only and loads nothing.
        File.WriteAllText(temp.Combine("model", "config.json"), "not json");
        File.WriteAllText(temp.Combine("model", "model.safetensors.index.json"), "");

        var build = () => Complete().UseLanguageModel(temp.Combine("model")).Build();

        using var trainer = build.Should().NotThrow().Which;
    }

    [Fact]
    public void Load_options_that_name_a_device_are_refused_for_the_runs_own_device_setting()
    {
        var cuda = new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cuda };

        var folder = () => Complete().UseLanguageModel("models/any", cuda);
        var scratch = () => Complete().UseScratchLanguageModel(loadOptions: cuda);

        folder.Should().Throw<ArgumentException>().WithMessage("*Device is Cuda*o.Device = DevicePreference.Cuda*");
        scratch.Should().Throw<ArgumentException>().WithMessage("*Device is Cuda*o.Device = DevicePreference.Cuda*");
        Complete().UseScratchLanguageModel(loadOptions: new ModelLoadOptions { DType = Soft.Runtime.SoftDType.BFloat16 }).Should().NotBeNull();
    }

    [Fact]
    public void Build_checks_that_the_dataset_folder_exists()
    {
        using var temp = new Soft.Tests.TempFolder();
        var builder = Complete().UseDatasetFolder(temp.Combine("no-such-data"));

        var act = () => builder.Build();

        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{temp.Combine("no-such-data")}*does not exist*");
        using var ok = Complete().UseDatasetFolder(temp.Path).Build();
    }

    [Fact]
    public void Invalid_options_are_all_named_when_building()
    {
        var act = () => Complete().Configure(o =>
        {
            o.Threads = 0;
            o.DistanceSamples = -1;
            o.Sft.LearningRate = double.NaN;
            o.Soft.EffectiveBatchSize = 0;
        }).Build();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("Threads"))
            .And.Contain(f => f.Contains("DistanceSamples"))
            .And.Contain(f => f.Contains("Sft") && f.Contains("LearningRate"))
            .And.Contain(f => f.StartsWith("Soft:", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_scheduler_options_fail_the_build_with_the_option_name()
    {
        var act = () => Complete().UseAdaptiveCurriculum(alpha: double.NaN).Build();
        act.Should().Throw<OptionsValidationException>().WithMessage("*Alpha*");
    }

    [Fact]
    public void The_adaptive_curriculum_needs_an_evaluator_that_measures_distance()
    {
        var act = () => Complete(new UnusedEvaluator("constrained-beam")).Build();
        act.Should().Throw<InvalidOperationException>().WithMessage("*distance*grounding*");
    }

    [Fact]
    public void Validation_evaluator_must_be_registered()
    {
        var act = () => Complete().Configure(o => o.ValidationEvaluator = "nope").Build();
        act.Should().Throw<OptionsValidationException>().WithMessage("*ValidationEvaluator*nope*grounding*");
    }

    [Fact]
    public void AddSoft_registers_a_trainer_that_validates_when_resolved()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddSoft(soft => Parts(soft).Configure(o => o.Seed = 11));
        // One container, the host's: the parts are registered in it, and a second pipeline is refused.
        services.Should().Contain(d => d.ServiceType == typeof(Soft.Curriculum.ICurriculumScheduler));
        services.Should().Contain(d => d.ServiceType == typeof(ISelfDistiller));
        var twice = () => services.AddSoft(soft => Parts(soft));
        twice.Should().Throw<InvalidOperationException>().WithMessage("*already*");
        using (var provider = services.BuildServiceProvider())
            provider.GetRequiredService<SoftTrainer>().Options.Seed.Should().Be(11);

        var invalid = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        invalid.AddSoft(soft => Parts(soft).Configure(o => o.DistanceSamples = 0));
        using var bad = invalid.BuildServiceProvider();
        var act = () => bad.GetRequiredService<SoftTrainer>();
        act.Should().Throw<OptionsValidationException>().WithMessage("*DistanceSamples*");
    }

    private sealed class UnusedDistiller : ISelfDistiller
    {
        public string Name => "unused";

        public IReadOnlyList<DistilledExample> Distill(DistillationRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Build must not distil.");
    }

    private class UnusedEvaluator(string name) : IRecommendationEvaluator
    {
        public string Name => name;

        public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Build must not evaluate.");
    }

    private sealed class UnusedDistanceEvaluator(string name) : UnusedEvaluator(name), IDistanceMeasure
    {
        public double MeanDistance(ILanguageModel model, RecommendationDataset dataset, IReadOnlyList<RecommendationSample> samples, PromptTemplate template, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Build must not measure.");
    }
}
