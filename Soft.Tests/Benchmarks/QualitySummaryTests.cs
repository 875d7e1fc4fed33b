using Soft.Benchmarks;
using Soft.Reporting;

namespace Soft.Tests.Benchmarks;

public sealed class QualitySummaryTests
{
    [Fact]
    public void Runs_is_refused_without_summary_only_because_a_run_writes_under_out()
    {
        var act = () => QualityArguments.Settings("--runs", "runs/a,runs/b");

        act.Should().Throw<ArgumentException>().WithMessage("*--runs*--summary-only*");
    }

    [Fact]
    public void A_summary_reads_each_seed_from_the_first_run_root_that_finished_it()
    {
        string root = Path.Combine(Path.GetTempPath(), "soft-summary-" + Guid.NewGuid().ToString("N"));
        try
        {
            string first = Path.Combine(root, "first"), second = Path.Combine(root, "second");
            void Finish(string runs, long seed)
            {
                string folder = Path.Combine(runs, "lastfm", $"seed-{seed}");
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, SoftRunReport.FileName), "{}");
            }
            Finish(first, 1);
            Finish(second, 1);
            Finish(second, 2);
            Directory.CreateDirectory(Path.Combine(first, "lastfm", "seed-3"));
            var settings = QualityArguments.Settings("--summary-only", "--runs", $"{first},{second}", "--out", Path.Combine(root, "out"));

            QualityBenchmark.FinishedFolder(settings, "lastfm", QualityBaseModels.Items, 1).Should().Be(Path.Combine(first, "lastfm", "seed-1"));
            QualityBenchmark.FinishedFolder(settings, "lastfm", QualityBaseModels.Items, 2).Should().Be(Path.Combine(second, "lastfm", "seed-2"));
            QualityBenchmark.FinishedFolder(settings, "lastfm", QualityBaseModels.Items, 3).Should().BeNull("a folder without its report is not finished");
            QualityBenchmark.FinishedFolder(QualityArguments.Settings("--summary-only", "--out", second), "lastfm", QualityBaseModels.Items, 2)
                .Should().Be(Path.Combine(second, "lastfm", "seed-2"), "without --runs the summary reads --out");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_row_from_fewer_runs_than_its_dataset_says_so_and_is_compared_on_its_own_pairs()
    {
        var settings = QualityArguments.Settings("--summary-only", "--seeds", "1,2");
        var metrics = new Dictionary<string, double> { ["HR@10"] = 0.5, ["NDCG@10"] = 0.25 };
        QualityRow Row(long seed, string method, params int?[] ranks) => new("lastfm", seed, method, QualityBenchmark.Exact, metrics) { Ranks = ranks };
        QualityRunInfo Run(long seed) => new("lastfm", seed, QualityBaseModels.Items, $"runs/{seed}/lastfm/seed-{seed}", "scratch", 10, 100, 4, 3, new Dictionary<string, double>(), 0);
        var rows = new[]
        {
            Row(1, ReportMethodNames.Sft, 0, 5, null), Row(2, ReportMethodNames.Sft, 1, null, 2),
            Row(1, ReportMethodNames.Soft, 0, 0, null), Row(2, ReportMethodNames.Soft, 1, 1, 2),
            Row(1, "SOFT soft labels (α=1)", 0, 1, 2),
        };

        var summary = QualitySummary.Create(settings, rows, [Run(1), Run(2)], TimeSpan.Zero);
        string markdown = summary.Markdown();

        markdown.Should().Contain("| SOFT soft labels (α=1) (1 of 2 seeds) | exact |");
        markdown.Should().Contain("| SOFT | exact |", "a row of every run is not marked");
        markdown.Should().Contain("Pooled from the run roots `runs/1`, `runs/2`");
        summary.Differences.Single(d => d.Method == ReportMethodNames.Soft).Pairs.Should().Be(6);
        summary.Differences.Single(d => d.Method == "SOFT soft labels (α=1)").Pairs.Should().Be(3, "only seed 1's test samples pair with SFT");
        // Seed 1: SOFT (1 + 1 + 0) against SFT (1 + NDCG of rank 5 + 0); seed 2: equal ranks where SFT has one.
        double rank5 = 1 / Math.Log2(7), rank1 = 1 / Math.Log2(3), rank2 = 1 / Math.Log2(4);
        summary.Differences.Single(d => d.Method == ReportMethodNames.Soft).SeedRatios.Should().Equal(
            [2 / (1 + rank5), (rank1 + rank1 + rank2) / (rank1 + rank2)], (a, b) => Math.Abs(a - b) < 1e-12);
        markdown.Should().Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| {2 / (1 + rank5):F2}, {(rank1 + rank1 + rank2) / (rank1 + rank2):F2} |"));
        markdown.Split('\n').Single(l => l.StartsWith("| SOFT soft labels (α=1) | exact | 3 |", StringComparison.Ordinal))
            .Should().EndWith("| – | no significant difference |", "a row of one seed has no interval over seeds");
    }

    [Fact]
    public void The_hierarchical_interval_spans_the_seeds_ratios_where_the_paired_one_only_sees_their_pooled_mix()
    {
        // No spread inside a seed, all of it between seeds: seed 1 ties SFT, seed 2 ranks first where SFT ranks second.
        var tie = Enumerable.Repeat((1.0, 1.0), 100).ToList();
        var ahead = Enumerable.Repeat((1.0, PairedDifference.Ndcg10(1)), 100).ToList();

        var difference = PairedDifference.Of("lastfm", QualityBenchmark.Exact, ReportMethodNames.Soft, [tie, ahead])!;
        var oneSeed = PairedDifference.Of("lastfm", QualityBenchmark.Exact, ReportMethodNames.Soft, [ahead])!;

        double pooled = 200 / (100 + 100 * PairedDifference.Ndcg10(1));
        difference.Ratio.Should().BeApproximately(pooled, 1e-12);
        difference.SeedRatios.Should().Equal([1.0, 1 / PairedDifference.Ndcg10(1)], (a, b) => Math.Abs(a - b) < 1e-12);
        difference.RatioLow.Should().BeGreaterThan(1.15, "resampling pooled pairs only moves the mix of the two seeds a little");
        difference.RatioHigh.Should().BeLessThan(1.30);
        difference.HierarchicalRatioLow.Should().BeApproximately(1.0, 1e-12, "a quarter of the draws take seed 1 twice");
        difference.HierarchicalRatioHigh.Should().BeApproximately(1 / PairedDifference.Ndcg10(1), 1e-12, "a quarter take seed 2 twice");
        double.IsNaN(oneSeed.HierarchicalRatioLow).Should().BeTrue("one seed has no spread between training runs to draw from");
    }
}
