using System.Text.Json;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class CurriculumHistoryTests
{
    private static EpochStatistics Epoch(int number, double? distance = 1.0) => new(number, 0.5, distance, 1.0, 0.5, 0.75);

    [Fact]
    public void Append_returns_a_new_history_and_leaves_the_old_one_unchanged()
    {
        var start = new CurriculumHistory(2.0);

        var next = start.Append(Epoch(1, 1.5));

        start.NextEpoch.Should().Be(1);
        start.Epochs.Should().BeEmpty();
        next.NextEpoch.Should().Be(2);
        next.DistanceAfter(0).Should().Be(2.0);
        next.DistanceAfter(1).Should().Be(1.5);
    }

    [Fact]
    public void Epochs_must_be_numbered_in_order()
    {
        var history = new CurriculumHistory(2.0);

        history.Invoking(h => h.Append(Epoch(2))).Should().Throw<ArgumentException>();
        var act = () => new CurriculumHistory(2.0, [Epoch(1), Epoch(3)]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Distance_after_an_unfinished_epoch_is_an_error()
    {
        var history = new CurriculumHistory(2.0, [Epoch(1)]);

        history.Invoking(h => h.DistanceAfter(2)).Should().Throw<ArgumentOutOfRangeException>();
        history.Invoking(h => h.DistanceAfter(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Distances_must_be_finite_and_non_negative(double distance)
    {
        var initial = () => new CurriculumHistory(distance);
        var after = () => Epoch(1, distance);

        initial.Should().Throw<ArgumentOutOfRangeException>();
        after.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Recorded_lambda_must_be_in_unit_interval(double lambda)
    {
        var act = () => new EpochStatistics(1, lambda, 1.0, 1.0, 1.0, 1.0);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Validation_metrics_are_copied()
    {
        var metrics = new Dictionary<string, double> { ["HR@10"] = 0.1 };
        var statistics = new EpochStatistics(1, 1, 1.0, null, 0.5, 0.5, metrics);

        metrics["HR@10"] = 0.9;

        statistics.Validation["HR@10"].Should().Be(0.1);
    }

    [Fact]
    public void Epoch_statistics_round_trip_through_JSON_even_with_a_diverged_loss()
    {
        var statistics = new EpochStatistics(3, 0.25, 1.5, double.NaN, null, 0.5, new Dictionary<string, double> { ["HR@10"] = 0.1 });

        string json = JsonSerializer.Serialize(statistics);
        var back = JsonSerializer.Deserialize<EpochStatistics>(json)!;

        json.Should().Contain("\"NaN\"");
        back.Epoch.Should().Be(3);
        back.Lambda.Should().Be(0.25);
        back.Distance.Should().Be(1.5);
        back.RealLoss.Should().Be(double.NaN);
        back.DistilledLoss.Should().BeNull();
        back.CombinedLoss.Should().Be(0.5);
        back.Validation.Should().Equal(statistics.Validation);
    }

    [Fact]
    public void Checked_lambda_rejects_a_result_outside_unit_interval()
    {
        var history = new CurriculumHistory(1.0);

        new BrokenScheduler(1.5).Invoking(s => s.NextLambdaChecked(history))
            .Should().Throw<InvalidOperationException>().WithMessage("*1.5*");
        new BrokenScheduler(double.NaN).Invoking(s => s.NextLambdaChecked(history))
            .Should().Throw<InvalidOperationException>();
        new BrokenScheduler(0.25).NextLambdaChecked(history).Should().Be(0.25);
    }

    [Fact]
    public void Checked_lambda_rejects_a_history_without_the_distances_the_scheduler_needs()
    {
        var history = new CurriculumHistory(2.0, [Epoch(1, null)]);

        new BrokenScheduler(0.5).Invoking(s => s.NextLambdaChecked(history))
            .Should().Throw<InvalidOperationException>().WithMessage("*d_1*");
    }

    /// <summary>A user scheduler that keeps the interface's default <see cref="ICurriculumScheduler.RequiresDistance"/>.</summary>
    private sealed class BrokenScheduler(double lambda) : ICurriculumScheduler
    {
        public double NextLambda(CurriculumHistory history) => lambda;
    }
}
