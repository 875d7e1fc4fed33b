using System.Text.Json;
using Soft.Metrics;

namespace Soft.Tests.Metrics;

public sealed class RankingMetricsTests
{
    private static readonly int?[] HandRanks = [0, 3, 12, null];

    // 1/log2(n) written as ln 2 / ln n, a different route from the implementation's.
    private static double InverseLog2(double n) => Math.Log(2) / Math.Log(n);

    [Fact]
    public void Hand_computed_hit_rates()
    {
        var result = RankingMetrics.Compute(HandRanks);

        result.SampleCount.Should().Be(4);
        result.HitRate(1).Should().Be(0.25);
        result.HitRate(5).Should().Be(0.5);
        result.HitRate(10).Should().Be(0.5);
        result.HitRate(20).Should().Be(0.75);
        result.HitRate(50).Should().Be(0.75);
    }

    [Fact]
    public void Hand_computed_NDCG_and_MRR()
    {
        var result = RankingMetrics.Compute(HandRanks);

        result.Ndcg(1).Should().BeApproximately(0.25, 1e-15);
        result.Ndcg(5).Should().BeApproximately((1 + InverseLog2(5)) / 4, 1e-15);
        result.Ndcg(10).Should().BeApproximately((1 + InverseLog2(5)) / 4, 1e-15);
        result.Ndcg(20).Should().BeApproximately((1 + InverseLog2(5) + InverseLog2(14)) / 4, 1e-15);
        result.Mrr.Should().BeApproximately((1 + (1.0 / 4) + (1.0 / 13)) / 4, 1e-15);
    }

    [Fact]
    public void Rank_at_the_cutoff_is_a_miss()
    {
        var result = RankingMetrics.Compute([5], [5, 6]);

        result.HitRate(5).Should().Be(0);
        result.Ndcg(5).Should().Be(0);
        result.HitRate(6).Should().Be(1);
        result.Ndcg(6).Should().BeApproximately(InverseLog2(7), 1e-15);
    }

    [Fact]
    public void Hit_rate_never_falls_as_k_grows_and_every_value_is_in_unit_interval()
    {
        var random = new Random(7);
        var ranks = Enumerable.Range(0, 1000).Select(_ => random.Next(10) == 0 ? (int?)null : random.Next(200)).ToArray();
        var cutoffs = Enumerable.Range(1, 120).ToArray();

        var result = RankingMetrics.Compute(ranks, cutoffs);

        cutoffs.Select(result.HitRate).Should().BeInAscendingOrder();
        cutoffs.Select(result.Ndcg).Should().BeInAscendingOrder();
        result.Values.Values.Should().OnlyContain(v => v >= 0 && v <= 1);
        cutoffs.Should().OnlyContain(k => result.Ndcg(k) <= result.HitRate(k));
    }

    [Fact]
    public void Cutoffs_larger_than_the_catalogue_count_every_ranked_item()
    {
        var accumulator = new RankingMetricsAccumulator(catalogueSize: 3, cutoffs: [1, 10]);
        accumulator.Add(2, [1, 0, 2]);
        accumulator.Add(0, [2, 1, 0]);

        var result = accumulator.Result();

        result.HitRate(10).Should().Be(1);
        result.Coverage(10).Should().Be(1);
        result.Coverage(1).Should().BeApproximately(2.0 / 3, 1e-15);
    }

    [Fact]
    public void Coverage_counts_items_in_any_top_list()
    {
        var accumulator = new RankingMetricsAccumulator(catalogueSize: 5, cutoffs: [1, 2, 3]);
        accumulator.Add(0, [0, 1, 2]);
        accumulator.Add(null, [1, 3, 0]);

        var result = accumulator.Result();

        result.Coverage(1).Should().Be(2.0 / 5);
        result.Coverage(2).Should().Be(3.0 / 5);
        result.Coverage(3).Should().Be(4.0 / 5);
    }

    [Fact]
    public void Coverage_is_absent_when_not_tracked()
    {
        RankingMetrics.Compute(HandRanks).Coverage(10).Should().BeNull();
    }

    [Fact]
    public void Cutoffs_are_sorted_and_deduplicated()
    {
        new RankingMetricsAccumulator([10, 1, 10, 5]).Cutoffs.Should().Equal(1, 5, 10);
    }

    [Fact]
    public void No_samples_give_zeros()
    {
        var result = new RankingMetricsAccumulator().Result();

        result.SampleCount.Should().Be(0);
        result.Values.Values.Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Serialises_to_flat_metric_keys_and_back()
    {
        var accumulator = new RankingMetricsAccumulator(catalogueSize: 20, cutoffs: [1, 10]);
        accumulator.Add(0, Enumerable.Range(0, 10).ToArray());
        accumulator.Add(12, Enumerable.Range(5, 10).ToArray());
        var result = accumulator.Result();

        string json = JsonSerializer.Serialize(result);
        using var document = JsonDocument.Parse(json);
        var back = JsonSerializer.Deserialize<RankingMetricsResult>(json)!;

        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "Samples", "HR@1", "HR@10", "NDCG@1", "NDCG@10", "MRR", "Coverage@1", "Coverage@10");
        document.RootElement.GetProperty("HR@10").GetDouble().Should().Be(0.5);
        back.SampleCount.Should().Be(2);
        back.Values.Should().Equal(result.Values);
    }

    [Fact]
    public void Metric_names_follow_the_report_convention()
    {
        MetricNames.HitRate(10).Should().Be("HR@10");
        MetricNames.Ndcg(50).Should().Be("NDCG@50");
        MetricNames.Coverage(5).Should().Be("Coverage@5");
        MetricNames.Mrr.Should().Be("MRR");
        RankingMetrics.DefaultCutoffs.Should().Equal(1, 5, 10, 20, 50);
    }

    [Fact]
    public void Invalid_inputs_are_rejected()
    {
        var act1 = () => RankingMetrics.Compute([-1]);
        var act2 = () => new RankingMetricsAccumulator([0, 5]);
        var act3 = () => new RankingMetricsAccumulator(Array.Empty<int>());
        act1.Should().Throw<ArgumentOutOfRangeException>();
        act2.Should().Throw<ArgumentOutOfRangeException>();
        act3.Should().Throw<ArgumentException>();

        var tracked = new RankingMetricsAccumulator(catalogueSize: 4);
        tracked.Invoking(a => a.Add(0)).Should().Throw<InvalidOperationException>();
        tracked.Invoking(a => a.Add(4, [0])).Should().Throw<ArgumentOutOfRangeException>();
        tracked.Invoking(a => a.Add(0, [0, 4])).Should().Throw<ArgumentOutOfRangeException>();
        tracked.SampleCount.Should().Be(0);
        new RankingMetricsAccumulator().Invoking(a => a.Add(0, [0])).Should().Throw<InvalidOperationException>();
        RankingMetrics.Compute(HandRanks).Invoking(r => r.HitRate(7)).Should().Throw<KeyNotFoundException>();
    }
}
