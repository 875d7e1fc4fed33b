using Soft.Models.Scratch;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>
/// One learning-rate curve serves the fine-tuning stages (Hugging Face's step arithmetic) and the catalogue
/// pre-trainer (peak on the warm-up's last step, floor on the last step), each with the rates it had before.
/// </summary>
public sealed class LearningRateCurveTests
{
    private static double Factor(LearningRateSchedule schedule, long stepsDone, int warmup, long total) =>
        EpochRunner.RateCurve(new TrainingOptions { Schedule = schedule, LearningRate = 1, WarmupSteps = warmup }, total).At(stepsDone);

    [Fact]
    public void Warm_up_climbs_linearly_from_zero_and_the_constant_schedule_then_holds()
    {
        double[] factors = [.. Enumerable.Range(0, 7).Select(s => Factor(LearningRateSchedule.ConstantWithWarmup, s, 4, 100))];
        factors.Should().Equal(0, 0.25, 0.5, 0.75, 1, 1, 1);
        Factor(LearningRateSchedule.ConstantWithWarmup, 0, 0, 10).Should().Be(1, "without warm-up the first step runs at the base rate");
    }

    [Theory]
    [InlineData(LearningRateSchedule.Cosine)]
    [InlineData(LearningRateSchedule.Linear)]
    public void Decaying_schedules_go_from_one_after_warm_up_to_zero_at_the_last_planned_step(LearningRateSchedule schedule)
    {
        Factor(schedule, 2, 4, 14).Should().Be(0.5);
        Factor(schedule, 4, 4, 14).Should().Be(1);
        Factor(schedule, 9, 4, 14).Should().BeApproximately(0.5, 1e-12, "half way through the decay both are at one half");
        Factor(schedule, 14, 4, 14).Should().BeApproximately(0, 1e-12);
        Factor(schedule, 20, 4, 14).Should().Be(0, "never negative past the plan");
    }

    [Fact]
    public void Cosine_differs_from_linear_between_the_ends()
    {
        double cosine = Factor(LearningRateSchedule.Cosine, 1, 0, 4);
        cosine.Should().BeApproximately(0.5 * (1 + Math.Cos(Math.PI / 4)), 1e-12);
        Factor(LearningRateSchedule.Linear, 1, 0, 4).Should().Be(0.75);
    }

    [Fact]
    public void The_pre_trainer_reaches_the_peak_on_the_last_warm_up_step_and_the_floor_on_the_last_step()
    {
        var curve = CatalogPretrainer.RateCurve(new CatalogPretrainingOptions { LearningRate = 1, MinLearningRateRatio = 0.25, WarmupSteps = 2, Steps = 5 });

        double[] rates = [.. Enumerable.Range(0, 5).Select(s => curve.At(s))];

        rates[..3].Should().Equal(0.5, 1, 1);
        rates[3].Should().BeApproximately(0.625, 1e-12, "half way down the cosine from 1 to 0.25");
        rates[4].Should().Be(0.25);
    }

    [Fact]
    public void Fine_tuning_rates_are_bit_for_bit_those_of_the_former_factor_times_the_base_rate()
    {
        foreach (var schedule in Enum.GetValues<LearningRateSchedule>())
        foreach (double rate in (double[])[1e-4, 3e-4, 2e-5, 1e-3])
        foreach (int warmup in (int[])[0, 1, 4, 20])
        foreach (long total in (long[])[1, 5, 20, 64, 1000])
        {
            var curve = EpochRunner.RateCurve(new TrainingOptions { Schedule = schedule, LearningRate = rate, WarmupSteps = warmup }, total);
            for (long step = 0; step < total; step++)
                curve.At(step).Should().Be(rate * FormerFactor(schedule, step, warmup, total), $"{schedule}, rate {rate}, warm-up {warmup}, {total} steps, step {step}");
        }
    }

    [Fact]
    public void Pre_training_rates_are_bit_for_bit_those_of_the_former_pre_trainer_schedule()
    {
        foreach (double rate in (double[])[1e-3, 3e-3, 5e-4])
        foreach (double ratio in (double[])[0, 0.1, 0.5, 1])
        foreach (int steps in (int[])[1, 2, 11, 200, 3000])
        foreach (int warmup in ((int[])[0, 1, 10, 20]).Where(w => w < steps))
        {
            var options = new CatalogPretrainingOptions { LearningRate = rate, MinLearningRateRatio = ratio, Steps = steps, WarmupSteps = warmup };
            var curve = CatalogPretrainer.RateCurve(options);
            for (int step = 1; step <= steps; step++)
                curve.At(step - 1).Should().Be(FormerPretrainingRate(options, step), $"rate {rate}, ratio {ratio}, warm-up {warmup}, {steps} steps, step {step}");
        }
    }

    // The two schedules as they were written before they became one curve: the oracle of the two tests above.
    private static double FormerFactor(LearningRateSchedule schedule, long stepsDone, int warmupSteps, long totalSteps)
    {
        if (stepsDone < warmupSteps)
            return (double)stepsDone / Math.Max(1, warmupSteps);
        double progress = Math.Min(1, (double)(stepsDone - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return schedule switch
        {
            LearningRateSchedule.ConstantWithWarmup => 1,
            LearningRateSchedule.Cosine => Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))),
            _ => Math.Max(0, 1 - progress),
        };
    }

    private static double FormerPretrainingRate(CatalogPretrainingOptions options, int step)
    {
        double peak = options.LearningRate;
        if (step <= options.WarmupSteps)
            return peak * step / options.WarmupSteps;
        int decaySteps = options.Steps - options.WarmupSteps;
        double progress = decaySteps <= 1 ? 1 : (double)(step - options.WarmupSteps - 1) / (decaySteps - 1);
        double floor = peak * options.MinLearningRateRatio;
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
