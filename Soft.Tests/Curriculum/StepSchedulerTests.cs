using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class StepSchedulerTests
{
    private static double[] Lambdas(StepSchedulerOptions options, int epochs)
    {
        var scheduler = new StepScheduler(Options.Create(options));
        return Enumerable.Range(1, epochs).Select(e => scheduler.NextLambda(CurriculumHistories.BeforeEpoch(e))).ToArray();
    }

    [Fact]
    public void Changes_at_milestones_and_stays_between_them()
    {
        var options = new StepSchedulerOptions
        {
            InitialLambda = 1,
            // Given out of order on purpose: the scheduler must sort by epoch.
            Milestones = new Dictionary<int, double> { [5] = 0, [3] = 0.5 },
        };

        Lambdas(options, 6).Should().Equal(1, 1, 0.5, 0.5, 0, 0);
    }

    [Fact]
    public void Milestone_at_epoch_one_replaces_the_initial_lambda()
    {
        var options = new StepSchedulerOptions { InitialLambda = 1, Milestones = new Dictionary<int, double> { [1] = 0.2 } };

        Lambdas(options, 2).Should().Equal(0.2, 0.2);
    }

    [Fact]
    public void Without_milestones_stays_at_the_initial_lambda()
    {
        Lambdas(new StepSchedulerOptions { InitialLambda = 0.7 }, 4).Should().AllBeEquivalentTo(0.7);
    }

    [Fact]
    public void Validator_names_the_bad_milestone()
    {
        var options = new StepSchedulerOptions
        {
            InitialLambda = 2,
            Milestones = new Dictionary<int, double> { [0] = 0.5, [4] = double.NaN },
        };

        var result = new StepSchedulerOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("InitialLambda").And.Contain("Milestones[0]").And.Contain("Milestones[4]");
    }

    [Fact]
    public void Validator_rejects_null_milestones()
    {
        var result = new StepSchedulerOptionsValidator().Validate(null, new StepSchedulerOptions { Milestones = null! });

        result.FailureMessage.Should().Contain("Milestones");
    }
}
