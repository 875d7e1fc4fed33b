using Microsoft.Extensions.Options;
using Soft.Models.Lora;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>Every broken training option is reported by name; the defaults and the paper preset are valid.</summary>
public sealed class TrainingOptionsValidatorTests
{
    private static ValidateOptionsResult Check(Action<TrainingOptions> change)
    {
        var options = new TrainingOptions();
        change(options);
        return new TrainingOptionsValidator().Validate(Options.DefaultName, options);
    }

    [Fact]
    public void The_defaults_and_the_paper_preset_are_valid_and_carry_the_reference_values()
    {
        Check(_ => { }).Succeeded.Should().BeTrue();
        var paper = Soft.Pipeline.SoftPresets.Paper().Sft;
        new TrainingOptionsValidator().Validate(null, paper).Succeeded.Should().BeTrue();
        paper.LearningRate.Should().Be(1e-4);
        paper.WarmupSteps.Should().Be(20);
        paper.Schedule.Should().Be(LearningRateSchedule.ConstantWithWarmup);
        paper.EffectiveBatchSize.Should().Be(256);
        paper.MaxEpochs.Should().Be(7);
        paper.EarlyStoppingPatience.Should().Be(2);
        paper.MetricName.Should().Be("HR@10");
        paper.Lora!.Rank.Should().Be(8);
        paper.Lora.Alpha.Should().Be(16);
        paper.Lora.Dropout.Should().Be(0.05);
        paper.Lora.TargetModules.Should().Equal("q_proj", "v_proj");
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.LearningRate))]
    [InlineData(nameof(TrainingOptions.WarmupSteps))]
    [InlineData(nameof(TrainingOptions.Schedule))]
    [InlineData(nameof(TrainingOptions.WeightDecay))]
    [InlineData(nameof(TrainingOptions.AdamBeta1))]
    [InlineData(nameof(TrainingOptions.AdamBeta2))]
    [InlineData(nameof(TrainingOptions.AdamEpsilon))]
    [InlineData(nameof(TrainingOptions.MaxGradNorm))]
    [InlineData(nameof(TrainingOptions.MaxEpochs))]
    [InlineData(nameof(TrainingOptions.MicroBatchSize))]
    [InlineData(nameof(TrainingOptions.EffectiveBatchSize))]
    [InlineData(nameof(TrainingOptions.MetricName))]
    [InlineData(nameof(TrainingOptions.EarlyStoppingPatience))]
    [InlineData(nameof(TrainingOptions.MaxConsecutiveNonFiniteSteps))]
    public void A_bad_value_fails_naming_the_option(string property)
    {
        var result = Check(o =>
        {
            switch (property)
            {
                case nameof(TrainingOptions.LearningRate): o.LearningRate = double.NaN; break;
                case nameof(TrainingOptions.WarmupSteps): o.WarmupSteps = -1; break;
                case nameof(TrainingOptions.Schedule): o.Schedule = (LearningRateSchedule)42; break;
                case nameof(TrainingOptions.WeightDecay): o.WeightDecay = -0.1; break;
                case nameof(TrainingOptions.AdamBeta1): o.AdamBeta1 = 1; break;
                case nameof(TrainingOptions.AdamBeta2): o.AdamBeta2 = double.NaN; break;
                case nameof(TrainingOptions.AdamEpsilon): o.AdamEpsilon = 0; break;
                case nameof(TrainingOptions.MaxGradNorm): o.MaxGradNorm = double.PositiveInfinity; break;
                case nameof(TrainingOptions.MaxEpochs): o.MaxEpochs = 0; break;
                case nameof(TrainingOptions.MicroBatchSize): o.MicroBatchSize = 0; break;
                case nameof(TrainingOptions.EffectiveBatchSize): o.EffectiveBatchSize = 0; break;
                case nameof(TrainingOptions.MetricName): o.MetricName = " "; break;
                case nameof(TrainingOptions.EarlyStoppingPatience): o.EarlyStoppingPatience = -1; break;
                case nameof(TrainingOptions.MaxConsecutiveNonFiniteSteps): o.MaxConsecutiveNonFiniteSteps = 0; break;
            }
        });

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Contain(property);
    }

    [Fact]
    public void An_effective_batch_that_is_not_a_multiple_of_the_micro_batch_is_refused()
    {
        var result = Check(o =>
        {
            o.MicroBatchSize = 16;
            o.EffectiveBatchSize = 40;
        });
        result.Failures.Should().ContainSingle().Which.Should().Contain(nameof(TrainingOptions.EffectiveBatchSize)).And.Contain("MicroBatchSize (16)");
    }

    [Fact]
    public void Lora_errors_are_named_inside_the_lora_options_and_every_error_is_listed()
    {
        var result = Check(o =>
        {
            o.Lora = new LoraOptions { Rank = 0, Dropout = 1 };
            o.MaxEpochs = -3;
        });
        result.Failures.Should().HaveCount(3);
        result.Failures.Should().Contain(f => f.Contains("Lora.Rank")).And.Contain(f => f.Contains("Lora.Dropout")).And.Contain(f => f.Contains("MaxEpochs"));
    }

    [Fact]
    public void Full_fine_tuning_needs_no_lora_options_and_clone_is_deep()
    {
        Check(o => o.Lora = null).Succeeded.Should().BeTrue();
        var options = Soft.Pipeline.SoftPresets.Paper().Soft;
        var copy = options.Clone();
        copy.Lora!.TargetModules.Add("k_proj");
        copy.LearningRate = 1;
        options.Lora!.TargetModules.Should().Equal("q_proj", "v_proj");
        options.LearningRate.Should().Be(1e-4);
        options.GradientAccumulationSteps.Should().Be(16);
    }
}
