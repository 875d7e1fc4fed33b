using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class AdaptiveDistanceSchedulerTests
{
    private static AdaptiveDistanceScheduler Create(double alpha) =>
        new(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = alpha }));

    [Fact]
    public void First_epoch_trains_on_distilled_targets_only()
    {
        Create(1).NextLambda(CurriculumHistories.WithDistances(2.0)).Should().Be(1);
    }

    [Fact]
    public void Halved_distance_gives_exp_of_minus_half()
    {
        double lambda = Create(1).NextLambda(CurriculumHistories.WithDistances(2.0, 1.0));

        lambda.Should().BeApproximately(0.6065306597126334, 1e-15);
    }

    // exp(-α/2) for d_1/d_0 = 1/2, values computed by hand.
    [Theory]
    [InlineData(100, 1.9287498479639178e-22)]
    [InlineData(10, 0.006737946999085467)]
    [InlineData(1, 0.6065306597126334)]
    [InlineData(0.1, 0.951229424500714)]
    public void Alpha_sweep_matches_the_formula(double alpha, double expected)
    {
        double lambda = Create(alpha).NextLambda(CurriculumHistories.WithDistances(2.0, 1.0));

        lambda.Should().BeApproximately(expected, expected * 1e-12);
    }

    [Fact]
    public void Larger_alpha_moves_weight_to_real_data_faster()
    {
        var history = CurriculumHistories.WithDistances(2.0, 1.5);
        double[] lambdas = new[] { 0.1, 1, 10, 100 }.Select(a => Create(a).NextLambda(history)).ToArray();

        lambdas.Should().BeInDescendingOrder().And.OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(1e300)]
    public void Distance_at_or_above_the_start_is_capped_at_one(double distance)
    {
        Create(100).NextLambda(CurriculumHistories.WithDistances(2.0, distance)).Should().Be(1);
    }

    [Fact]
    public void Uses_the_distance_after_the_previous_epoch_only()
    {
        var history = CurriculumHistories.WithDistances(2.0, 3.0, 1.0);

        Create(1).NextLambda(history).Should().BeApproximately(0.6065306597126334, 1e-15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Zero_initial_distance_gives_one(double later)
    {
        var scheduler = Create(1);

        scheduler.NextLambda(CurriculumHistories.WithDistances(0.0)).Should().Be(1);
        scheduler.NextLambda(CurriculumHistories.WithDistances(0.0, later)).Should().Be(1);
    }

    [Fact]
    public void Missing_distances_are_reported()
    {
        var scheduler = Create(1);

        scheduler.Invoking(s => s.NextLambda(CurriculumHistories.WithDistances(null)))
            .Should().Throw<InvalidOperationException>().WithMessage("*d_0*");
        scheduler.Invoking(s => s.NextLambda(CurriculumHistories.WithDistances(2.0, 1.0, null)))
            .Should().Throw<InvalidOperationException>().WithMessage("*d_2*");
    }

    [Fact]
    public void A_training_loop_sees_weight_move_to_real_data_as_the_distance_falls()
    {
        ICurriculumScheduler scheduler = Create(1);
        var history = new CurriculumHistory(2.0);
        double[] measured = [1.8, 1.2, 0.8];
        var lambdas = new List<double>();

        // What the trainer does: ask for λ, train the epoch, record what it saw.
        foreach (double distance in measured)
        {
            double lambda = scheduler.NextLambdaChecked(history);
            lambdas.Add(lambda);
            history = history.Append(new EpochStatistics(history.NextEpoch, lambda, distance, 2.0, 1.0, 1.5));
        }

        lambdas.Add(scheduler.NextLambdaChecked(history));

        // exp(d/2 − 1) for d = 2, 1.8, 1.2, 0.8, by hand.
        lambdas.Should().Equal([1, 0.9048374180359595, 0.6703200460356393, 0.5488116360940264], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Requires_distance()
    {
        ((ICurriculumScheduler)Create(1)).RequiresDistance.Should().BeTrue();
    }

    [Fact]
    public void Later_changes_to_the_options_have_no_effect()
    {
        var options = new AdaptiveDistanceSchedulerOptions { Alpha = 1 };
        var scheduler = new AdaptiveDistanceScheduler(Options.Create(options));

        options.Alpha = 100;

        scheduler.Alpha.Should().Be(1);
    }

    [Fact]
    public void Constructing_with_invalid_options_throws_naming_the_option()
    {
        var act = () => Create(double.NaN);

        act.Should().Throw<OptionsValidationException>().WithMessage("*Alpha*");
    }
}
