using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class FixedSchedulerTests
{
    [Fact]
    public void Distilled_only_is_one_every_epoch()
    {
        ICurriculumScheduler scheduler = new FixedScheduler(1);

        Enumerable.Range(1, 5).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e)))
            .Should().AllBeEquivalentTo(1.0);
        scheduler.RequiresDistance.Should().BeFalse();
    }

    [Fact]
    public void Real_only_is_zero_every_epoch()
    {
        ICurriculumScheduler scheduler = new FixedScheduler(0);

        Enumerable.Range(1, 5).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e)))
            .Should().AllBeEquivalentTo(0.0);
        scheduler.RequiresDistance.Should().BeFalse();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Fixed_returns_its_lambda_every_epoch(double lambda)
    {
        var scheduler = new FixedScheduler(lambda);

        Enumerable.Range(1, 5).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e)))
            .Should().AllBeEquivalentTo(lambda);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fixed_rejects_lambda_outside_unit_interval(double lambda)
    {
        var act = () => new FixedScheduler(lambda);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lambda").WithMessage("*[0, 1]*");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fixed_validator_rejects_lambda_outside_unit_interval(double lambda)
    {
        var result = new FixedSchedulerOptionsValidator().Validate(null, new FixedSchedulerOptions { Lambda = lambda });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(FixedSchedulerOptions.Lambda));
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Every_lambda_check_states_the_same_rule_and_names_its_field(double lambda)
    {
        string rule = $"must be a number in [0, 1] (was {lambda})";

        new Func<object>(() => new FixedScheduler(lambda)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("lambda").WithMessage($"λ {rule}*");
        new Func<object>(() => new EpochStatistics(1, lambda, null, 1, null, 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("lambda").WithMessage($"λ {rule}*");
        new ConstantAnswer(lambda).Invoking(s => s.NextLambdaChecked(new CurriculumHistory(1.0))).Should().Throw<InvalidOperationException>()
            .WithMessage($"ConstantAnswer's λ for epoch 1 {rule}*");
        new LinearSchedulerOptionsValidator().Validate(null, new LinearSchedulerOptions { StartLambda = 0, EndLambda = lambda }).FailureMessage
            .Should().Contain($"{nameof(LinearSchedulerOptions.EndLambda)}").And.Contain(rule).And.NotContain(nameof(LinearSchedulerOptions.StartLambda));
        new StepSchedulerOptionsValidator().Validate(null, new StepSchedulerOptions { Milestones = new Dictionary<int, double> { [3] = lambda } }).FailureMessage
            .Should().Contain("Milestones[3]").And.Contain(rule);
    }

    /// <summary>A user scheduler that answers whatever it was given, bypassing every constructor check.</summary>
    private sealed class ConstantAnswer(double lambda) : ICurriculumScheduler
    {
        public bool RequiresDistance => false;

        public double NextLambda(CurriculumHistory history) => lambda;
    }
}
