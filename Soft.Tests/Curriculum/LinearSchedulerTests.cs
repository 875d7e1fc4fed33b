using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class LinearSchedulerTests
{
    private static double[] Lambdas(LinearSchedulerOptions options, int epochs)
    {
        var scheduler = new LinearScheduler(Options.Create(options));
        return Enumerable.Range(1, epochs).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e))).ToArray();
    }

    [Fact]
    public void FallsInEqualStepsThenStays()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions { StartLambda = 1, EndLambda = 0, DurationEpochs = 4 }, 7);

        lambdas.Should().Equal(1, 0.75, 0.5, 0.25, 0, 0, 0);
    }

    [Fact]
    public void RisesWhenTheEndIsAboveTheStart()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions { StartLambda = 0.2, EndLambda = 0.8, DurationEpochs = 3 }, 5);

        lambdas.Should().Equal([0.2, 0.4, 0.6, 0.8, 0.8], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void OneEpochDurationSwitchesAfterTheFirstEpoch()
    {
        Lambdas(new LinearSchedulerOptions { StartLambda = 1, EndLambda = 0.25, DurationEpochs = 1 }, 3)
            .Should().Equal(1, 0.25, 0.25);
    }

    [Fact]
    public void DefaultsGoFromOneToZeroOverTheReferencesSevenEpochs()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions(), 8);

        lambdas[0].Should().Be(1);
        lambdas[6].Should().Be(0);
        lambdas[7].Should().Be(0);
        lambdas.Should().BeInDescendingOrder();
    }

    [Fact]
    public void ValidatorNamesEveryInvalidOption()
    {
        var result = new LinearSchedulerOptionsValidator().Validate(null,
            new LinearSchedulerOptions { StartLambda = double.NaN, EndLambda = -1, DurationEpochs = 0 });

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("StartLambda").And.Contain("EndLambda").And.Contain("DurationEpochs");
    }

    [Fact]
    public void ValidatorAcceptsDefaults()
    {
        new LinearSchedulerOptionsValidator().Validate(null, new LinearSchedulerOptions()).Succeeded.Should().BeTrue();
    }
}
