using Soft.Evaluation;
using Soft.Metrics;

namespace Soft.Tests.Evaluation;

public sealed class CatalogRankingTests
{
    private static readonly double[] Tied = [0.5, 0.1, 0.5, 0.3];

    /// <summary>The ranking by a plain LINQ sort: the reference the fast paths must match.</summary>
    private static int[] BruteForce(float[] values, RankingDirection direction)
    {
        var ids = Enumerable.Range(0, values.Length);
        var byValue = direction == RankingDirection.LowerIsBetter
            ? ids.OrderBy(i => float.IsNaN(values[i])).ThenBy(i => values[i])
            : ids.OrderBy(i => float.IsNaN(values[i])).ThenByDescending(i => values[i]);
        return byValue.ThenBy(i => i).ToArray();
    }

    [Fact]
    public void Distances_rank_ascending_with_ties_by_item_id()
    {
        CatalogRanking.Rank<double>(Tied).Should().Equal(1, 3, 0, 2);
        CatalogRanking.RankOf<double>(Tied, 0).Should().Be(2);
        CatalogRanking.RankOf<double>(Tied, 2).Should().Be(3);
    }

    [Fact]
    public void Scores_rank_descending_with_ties_by_item_id()
    {
        CatalogRanking.Rank<double>(Tied, RankingDirection.HigherIsBetter).Should().Equal(0, 2, 3, 1);
        CatalogRanking.RankOf<double>(Tied, 2, RankingDirection.HigherIsBetter).Should().Be(1);
    }

    [Theory]
    [InlineData(RankingDirection.LowerIsBetter)]
    [InlineData(RankingDirection.HigherIsBetter)]
    public void NaN_ranks_last_whichever_the_direction(RankingDirection direction)
    {
        double[] values = [double.NaN, 2, 1];

        CatalogRanking.RankOf<double>(values, 0, direction).Should().Be(2);
        CatalogRanking.Rank<double>(values, direction)[^1].Should().Be(0);
    }

    [Theory]
    [InlineData(RankingDirection.LowerIsBetter)]
    [InlineData(RankingDirection.HigherIsBetter)]
    public void Fast_paths_match_a_full_sort_on_tied_values(RankingDirection direction)
    {
        var random = new Random(11);
        // Few distinct values, so ties are everywhere; a few NaNs too.
        var values = Enumerable.Range(0, 500).Select(_ => random.Next(50) == 0 ? float.NaN : random.Next(40) / 8f).ToArray();
        var expected = BruteForce(values, direction);

        CatalogRanking.Rank<float>(values, direction).Should().Equal(expected);
        foreach (int k in new[] { 1, 2, 7, 50, 499, 500, 800 })
            CatalogRanking.TopK<float>(values, k, direction).Should().Equal(expected.Take(k));
        for (int position = 0; position < expected.Length; position++)
            CatalogRanking.RankOf<float>(values, expected[position], direction).Should().Be(position);
    }

    [Fact]
    public void Empty_catalogue_has_an_empty_top_list()
    {
        CatalogRanking.TopK(ReadOnlySpan<float>.Empty, 5).Should().BeEmpty();
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var outOfRange = () => CatalogRanking.RankOf<double>(Tied, 4);
        var negative = () => CatalogRanking.RankOf<double>(Tied, -1);
        var zeroK = () => CatalogRanking.TopK<double>(Tied, 0);

        outOfRange.Should().Throw<ArgumentOutOfRangeException>();
        negative.Should().Throw<ArgumentOutOfRangeException>();
        zeroK.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Ranks_a_reference_sized_evaluation_feeding_the_metrics()
    {
        // 5,000 items × 1,000 samples: the evaluator's shape. The truth is placed at a known rank per sample.
        const int items = 5000, samples = 1000;
        var random = new Random(3);
        var accumulator = new RankingMetricsAccumulator(items);
        var distances = new float[items];
        List<int> expectedRanks = [], measuredRanks = [];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < items; i++)
                distances[i] = 1 + (float)random.NextDouble();
            int truth = random.Next(items), rank = random.Next(60);
            // Exactly `rank` items strictly closer than the truth.
            distances[truth] = 0.5f;
            for (int r = 0, i = 0; r < rank; i++)
            {
                if (i != truth)
                {
                    distances[i] = 0.1f;
                    r++;
                }
            }

            int measured = CatalogRanking.RankOf<float>(distances, truth);
            accumulator.Add(measured, CatalogRanking.TopK<float>(distances, 50));
            expectedRanks.Add(rank);
            measuredRanks.Add(measured);
        }

        var result = accumulator.Result();

        measuredRanks.Should().Equal(expectedRanks);
        result.HitRate(10).Should().Be(expectedRanks.Count(r => r < 10) / (double)samples);
        result.Coverage(50).Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(1);
    }
}
