using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

public sealed class PeakMemoryRuleTests
{
    private const long MiB = 1L << 20;

    internal static ResourceResult Result(int vocabulary, int longest, long peak, params (string Stage, long Bytes)[] stages) => new()
    {
        Configuration = new ResourceConfiguration { ItemTokens = false, History = 10, Steps = 4, ValidationSamples = 8, TestSamples = 1 },
        MeanTitleCharacters = 11.5,
        MeanTitleTokens = 3.5,
        Vocabulary = vocabulary,
        TrainSamples = 64,
        LongestTrainingTokens = longest,
        LongestDistilledTokens = longest + 2,
        TruncatedSamples = 0,
        SoftLambdas = [0.5, 0.5],
        PeakBytes = peak,
        StagePeaks = [.. stages.Select(s => new StagePeak(s.Stage, s.Bytes))],
        Seconds = 1,
    };

    [Fact]
    public void The_largest_step_is_pretraining_until_a_soft_graph_of_the_longest_sequence_is_larger()
    {
        // The preset: 32 windows of 128 tokens; a SOFT step holds 2 micro-batches of 16.
        PeakMemoryRule.PretrainingPositions.Should().Be(32 * 128);
        PeakMemoryRule.SoftGraphRows.Should().Be(32);

        PeakMemoryRule.Logits(1000, 60).Should().Be(1000.0 * 32 * 128);
        PeakMemoryRule.Logits(1000, 128).Should().Be(1000.0 * 32 * 128);
        PeakMemoryRule.Logits(1000, 400).Should().Be(1000.0 * 32 * 400);
    }

    [Fact]
    public void The_fit_recovers_a_rule_the_rows_follow_exactly()
    {
        // peak = 300 MiB + 20 bytes per logit.
        long Peak(int v, int l) => 300 * MiB + (long)(20 * PeakMemoryRule.Logits(v, l));
        var rows = new[] { (4873, 18), (6715, 86), (8433, 433), (7000, 300) }.Select(p => Result(p.Item1, p.Item2, Peak(p.Item1, p.Item2))).ToList();

        var rule = PeakMemoryRule.Fit(rows);

        rule.BaseBytes.Should().BeApproximately(300 * MiB, 16);
        rule.BytesPerLogit.Should().BeApproximately(20, 1e-6);
        rule.RSquared.Should().BeApproximately(1, 1e-12);
        rule.MaxErrorBytes.Should().BeLessThan(16);
        rule.Rows.Should().Be(4);
        rule.Predict(5000, 200).Should().BeApproximately(Peak(5000, 200), 16);
    }

    [Fact]
    public void The_largest_error_is_the_worst_row_off_the_line()
    {
        var rows = new[] { Result(1000, 100, 100 * MiB), Result(2000, 100, 300 * MiB), Result(3000, 100, 300 * MiB) };

        var rule = PeakMemoryRule.Fit(rows);

        // The line through (1, 100), (2, 300), (3, 300) (in thousands of V, MiB) is 33.3 + 100·x: off by 33.3, 66.7, 33.3.
        (rule.MaxErrorBytes / MiB).Should().BeApproximately(66.67, 0.01);
        rule.RSquared.Should().BeApproximately(0.75, 1e-9);
    }

    [Fact]
    public void A_rule_needs_two_rows_with_different_logits()
    {
        var one = () => PeakMemoryRule.Fit([Result(1000, 10, MiB)]);
        var flat = () => PeakMemoryRule.Fit([Result(1000, 10, MiB), Result(1000, 100, 2 * MiB)]);

        one.Should().Throw<ArgumentException>().WithMessage("A rule needs at least two measured rows; got 1.*");
        // L = 10 and 100 are both below 128: pre-training's step is the largest in both rows.
        flat.Should().Throw<ArgumentException>().WithMessage("Every row has the same logits per step*");
    }

    [Fact]
    public void The_peak_is_set_by_the_last_stage_that_raised_it_by_16_MiB()
    {
        var result = Result(1000, 10, 900 * MiB, ("data", 200 * MiB), ("base", 800 * MiB), ("items", 810 * MiB), ("sft", 890 * MiB), ("soft", 900 * MiB));

        result.PeakStage().Should().Be("sft");
        Result(1000, 10, MiB).PeakStage().Should().BeNull();
    }
}
