using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>The learning-rate schedules follow Hugging Face's step arithmetic.</summary>
public sealed class LearningRateFactorTests
{
    [Fact]
    public void Warm_up_climbs_linearly_from_zero_and_the_constant_schedule_then_holds()
    {
        double[] factors = [.. Enumerable.Range(0, 7).Select(s => LearningRateFactor.At(LearningRateSchedule.ConstantWithWarmup, s, 4, 100))];
        factors.Should().Equal(0, 0.25, 0.5, 0.75, 1, 1, 1);
        LearningRateFactor.At(LearningRateSchedule.ConstantWithWarmup, 0, 0, 10).Should().Be(1, "without warm-up the first step runs at the base rate");
    }

    [Theory]
    [InlineData(LearningRateSchedule.Cosine)]
    [InlineData(LearningRateSchedule.Linear)]
    public void Decaying_schedules_go_from_one_after_warm_up_to_zero_at_the_last_planned_step(LearningRateSchedule schedule)
    {
        LearningRateFactor.At(schedule, 2, 4, 14).Should().Be(0.5);
        LearningRateFactor.At(schedule, 4, 4, 14).Should().Be(1);
        LearningRateFactor.At(schedule, 9, 4, 14).Should().BeApproximately(0.5, 1e-12, "half way through the decay both are at one half");
        LearningRateFactor.At(schedule, 14, 4, 14).Should().BeApproximately(0, 1e-12);
        LearningRateFactor.At(schedule, 20, 4, 14).Should().Be(0, "never negative past the plan");
    }

    [Fact]
    public void Cosine_differs_from_linear_between_the_ends()
    {
        double cosine = LearningRateFactor.At(LearningRateSchedule.Cosine, 1, 0, 4);
        cosine.Should().BeApproximately(0.5 * (1 + Math.Cos(Math.PI / 4)), 1e-12);
        LearningRateFactor.At(LearningRateSchedule.Linear, 1, 0, 4).Should().Be(0.75);
    }
}
