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
    public void Falls_in_equal_steps_then_stays()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions { StartLambda = 1, EndLambda = 0, DurationEpochs = 4 }, 7);

        lambdas.Should().Equal(1, 0.75, 0.5, 0.25, 0, 0, 0);
    }

    [Fact]
    public void Rises_when_the_end_is_above_the_start()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions { StartLambda = 0.2, EndLambda = 0.8, DurationEpochs = 3 }, 5);

        lambdas.Should().Equal([0.2, 0.4, 0.6, 0.8, 0.8], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void One_epoch_duration_switches_after_the_first_epoch()
    {
        Lambdas(new LinearSchedulerOptions { StartLambda = 1, EndLambda = 0.25, DurationEpochs = 1 }, 3)
            .Should().Equal(1, 0.25, 0.25);
    }

    [Fact]
    public void Defaults_go_from_one_to_zero_over_the_references_seven_epochs()
    {
        var lambdas = Lambdas(new LinearSchedulerOptions(), 8);

        lambdas[0].Should().Be(1);
        lambdas[6].Should().Be(0);
        lambdas[7].Should().Be(0);
        lambdas.Should().BeInDescendingOrder();
    }

    [Fact]
    public void Validator_names_every_invalid_option()
    {
        var result = new LinearSchedulerOptionsValidator().Validate(null,
            new LinearSchedulerOptions { StartLambda = double.NaN, EndLambda = -1, DurationEpochs = 0 });

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("StartLambda").And.Contain("EndLambda").And.Contain("DurationEpochs");
    }

    [Fact]
    public void Validator_accepts_defaults()
    {
        new LinearSchedulerOptionsValidator().Validate(null, new LinearSchedulerOptions()).Succeeded.Should().BeTrue();
    }
}
