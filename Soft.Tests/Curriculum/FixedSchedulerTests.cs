using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class FixedSchedulerTests
{
    [Fact]
    public void DistilledOnlyIsOneEveryEpoch()
    {
        ICurriculumScheduler scheduler = new FixedScheduler(1);

        Enumerable.Range(1, 5).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e)))
            .Should().AllBeEquivalentTo(1.0);
        scheduler.RequiresDistance.Should().BeFalse();
    }

    [Fact]
    public void RealOnlyIsZeroEveryEpoch()
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
    public void FixedReturnsItsLambdaEveryEpoch(double lambda)
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
    public void FixedRejectsLambdaOutsideUnitInterval(double lambda)
    {
        var act = () => new FixedScheduler(lambda);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lambda").WithMessage("*[0, 1]*");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void FixedValidatorRejectsLambdaOutsideUnitInterval(double lambda)
    {
        var result = new FixedSchedulerOptionsValidator().Validate(null, new FixedSchedulerOptions { Lambda = lambda });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(FixedSchedulerOptions.Lambda));
    }
}
