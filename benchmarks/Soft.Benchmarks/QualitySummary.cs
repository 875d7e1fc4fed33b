using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Soft.Curriculum;
using Soft.Reporting;

namespace Soft.Benchmarks;

/// <summary>Mean and sample standard deviation of one metric over seeds.</summary>
internal sealed record MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new MeanStd(mean, std, values.Count);
    }

    // One seed has no spread to show; "± 0.0000" would claim one.
    public override string ToString() => Count > 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4}")
        : string.Create(CultureInfo.InvariantCulture, $"{Mean:F4}");
}

/// <summary>One table line: a method under one evaluator on one dataset, aggregated over seeds.</summary>
internal sealed record QualityAggregate(string Dataset, string Evaluator, string Method, IReadOnlyDictionary<string, MeanStd> Metrics);

/// <summary>Whether the goal of issue #6 was met on one dataset and evaluator.</summary>
internal sealed record QualityGoal(string Dataset, string Evaluator, double SftNdcg10, double SoftNdcg10, double Ratio, bool SoftGoalMet, string BestLanguageModel, double BestLanguageModelNdcg10, double SasRecNdcg10, bool SasRecGoalMet);

/// <summary>
/// A method's NDCG@10 against SFT's on the same test samples, pooled over seeds: the mean per-sample difference and
/// the ratio of means, each with a paired bootstrap 95 % interval (resampling (seed, sample) pairs).
/// </summary>
internal sealed record PairedDifference(string Dataset, string Evaluator, string Method, int Pairs, double Difference, double Low, double High, double Ratio, double RatioLow, double RatioHigh)
{
    public const int Resamples = 2000;

    /// <summary>
    /// The ratio on each seed's own test samples, in seed order. The bootstrap resamples test samples of fixed trained
    /// models, so its interval leaves out how much the ratio moves from one training run to the next; these show it.
    /// </summary>
    public IReadOnlyList<double> SeedRatios { get; init; } = [];

    /// <summary>
    /// The ratio's 95 % interval from a hierarchical bootstrap: each resample draws the seeds with replacement, then
    /// each drawn seed's test samples with replacement, so a training run that came out lucky weighs as one draw of
    /// several, not as a thousand samples. NaN with one seed, which has no spread between runs to draw from.
    /// </summary>
    public double HierarchicalRatioLow { get; init; } = double.NaN;

    /// <inheritdoc cref="HierarchicalRatioLow"/>
    public double HierarchicalRatioHigh { get; init; } = double.NaN;

    /// <summary>The word the report may use: "better" / "worse" only where the interval excludes 0.</summary>
    public string Verdict => Low > 0 ? "better" : High < 0 ? "worse" : "no significant difference";

    /// <summary>The comparison over the (method, SFT) NDCG@10 pairs of each seed, seeds in order; null without pairs.</summary>
    public static PairedDifference? Of(string dataset, string evaluator, string method, IReadOnlyList<IReadOnlyList<(double Method, double Sft)>> seeds)
    {
        var pairs = seeds.SelectMany(s => s).ToList();
        if (pairs.Count == 0)
            return null;
        var random = new Random(20261201);
        var differences = new double[Resamples];
        var ratios = new double[Resamples];
        for (int b = 0; b < Resamples; b++)
        {
            double m = 0, s = 0;
            for (int i = 0; i < pairs.Count; i++)
            {
                var pair = pairs[random.Next(pairs.Count)];
                m += pair.Method;
                s += pair.Sft;
            }
            differences[b] = (m - s) / pairs.Count;
            ratios[b] = s > 0 ? m / s : double.PositiveInfinity;
        }
        double methodMean = pairs.Average(p => p.Method), sftMean = pairs.Average(p => p.Sft);
        var (differenceLow, differenceHigh) = Interval(differences);
        var (ratioLow, ratioHigh) = Interval(ratios);
        var (hierarchicalLow, hierarchicalHigh) = HierarchicalInterval([.. seeds.Where(s => s.Count > 0)]);
        return new PairedDifference(dataset, evaluator, method, pairs.Count, methodMean - sftMean,
            differenceLow, differenceHigh, sftMean > 0 ? methodMean / sftMean : double.NaN, ratioLow, ratioHigh)
        {
            SeedRatios = [.. seeds.Select(RatioOf)],
            HierarchicalRatioLow = hierarchicalLow,
            HierarchicalRatioHigh = hierarchicalHigh,
        };
    }

    private static double RatioOf(IReadOnlyList<(double Method, double Sft)> pairs)
    {
        double sft = pairs.Sum(p => p.Sft);
        return sft > 0 ? pairs.Sum(p => p.Method) / sft : double.NaN;
    }

    // Its own generator, so the pooled interval above draws exactly what it drew before this one existed.
    private static (double Low, double High) HierarchicalInterval(IReadOnlyList<IReadOnlyList<(double Method, double Sft)>> seeds)
    {
        if (seeds.Count < 2)
            return (double.NaN, double.NaN);
        var random = new Random(20261207);
        var ratios = new double[Resamples];
        for (int b = 0; b < Resamples; b++)
        {
            double m = 0, s = 0;
            for (int k = 0; k < seeds.Count; k++)
            {
                var seed = seeds[random.Next(seeds.Count)];
                for (int i = 0; i < seed.Count; i++)
                {
                    var pair = seed[random.Next(seed.Count)];
                    m += pair.Method;
                    s += pair.Sft;
                }
            }
            ratios[b] = s > 0 ? m / s : double.PositiveInfinity;
        }
        return Interval(ratios);
    }

    // The 2.5th and 97.5th percentiles of the bootstrap draws (sorted in place).
    private static (double Low, double High) Interval(double[] draws)
    {
        Array.Sort(draws);
        return (draws[(int)(0.025 * Resamples)], draws[(int)(0.975 * Resamples) - 1]);
    }

    /// <summary>NDCG@10 of one sample whose target has 0-based rank <paramref name="rank"/> (null: not ranked).</summary>
    public static double Ndcg10(int? rank) => rank is int r && r < 10 ? 1 / Math.Log2(r + 2) : 0;
}

/// <summary>Everything the quality benchmark measured, with the aggregates and the goal check; written as JSON and Markdown.</summary>
internal sealed record QualitySummary
{
    public const double GoalRatio = 1.376;
    public static readonly string[] Columns = ["HR@1", "HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "Coverage@10"];

    public required string Command { get; init; }
    public required string Machine { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required double WallSeconds { get; init; }
    public required IReadOnlyList<long> Seeds { get; init; }
    public required IReadOnlyList<QualityRunInfo> Runs { get; init; }
    public required IReadOnlyList<QualityRow> Rows { get; init; }
    public required IReadOnlyList<QualityAggregate> Aggregates { get; init; }
    public required IReadOnlyList<QualityGoal> Goals { get; init; }
    public required IReadOnlyList<PairedDifference> Differences { get; init; }
    public required string Regime { get; init; }
    public required string RegimeDescription { get; init; }
    public IReadOnlyList<QualityMechanism> Mechanisms { get; init; } = [];
    public IReadOnlyList<QualityDistillation> Distillations { get; init; } = [];

    public static QualitySummary Create(QualitySettings settings, IReadOnlyList<QualityRow> rows, IReadOnlyList<QualityRunInfo> runs, TimeSpan wall)
    {
        var aggregates = rows
            .GroupBy(r => (r.Dataset, r.Evaluator, r.Method))
            .Select(g => new QualityAggregate(g.Key.Dataset, g.Key.Evaluator, g.Key.Method,
                g.First().Metrics.Keys.ToDictionary(k => k, k => MeanStd.Of([.. g.Select(r => r.Metrics[k])]), StringComparer.Ordinal)))
            .ToList();
        return new QualitySummary
        {
            Command = settings.CommandLine,
            Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {settings.Threads} libtorch threads",
            FinishedAt = DateTimeOffset.UtcNow,
            WallSeconds = Math.Round(wall.TotalSeconds, 1),
            Seeds = settings.Seeds,
            Runs = runs,
            Rows = rows,
            Aggregates = aggregates,
            Goals = CheckGoals(aggregates),
            Differences = Compare(rows),
            Regime = settings.Regime.Name,
            RegimeDescription = settings.Regime.Description,
        };
    }

    // Every tuned language-model method against SFT, per dataset and evaluator, on paired test samples.
    private static List<PairedDifference> Compare(IReadOnlyList<QualityRow> rows)
    {
        var result = new List<PairedDifference>();
        foreach (var group in rows.Where(r => r.Evaluator != QualityBenchmark.FullRanking && r.Ranks.Count > 0).GroupBy(r => (r.Dataset, r.Evaluator)))
        {
            foreach (string method in group.Select(r => r.Method).Distinct().Where(m => QualityBaseModels.Split(m).Method is not ReportMethodNames.Sft and not ReportMethodNames.GuidanceOnly))
            {
                // Each method against SFT on its own base model.
                string reference = QualityBaseModels.MethodName(ReportMethodNames.Sft, QualityBaseModels.Split(method).BaseModel);
                var seeds = new List<IReadOnlyList<(double, double)>>();
                foreach (var row in group.Where(r => r.Method == method).OrderBy(r => r.Seed))
                {
                    var sft = group.FirstOrDefault(r => r.Seed == row.Seed && r.Method == reference);
                    if (sft is not null && sft.Ranks.Count == row.Ranks.Count)
                        seeds.Add([.. row.Ranks.Zip(sft.Ranks, (m, s) => (PairedDifference.Ndcg10(m), PairedDifference.Ndcg10(s)))]);
                }
                if (PairedDifference.Of(group.Key.Dataset, group.Key.Evaluator, method, seeds) is { } difference)
                    result.Add(difference);
            }
        }
        return result;
    }

    // SOFT against SFT on the main base model per dataset and language-model evaluator, and the best language-model
    // row (any base model) against SASRec.
    private static List<QualityGoal> CheckGoals(List<QualityAggregate> aggregates)
    {
        var goals = new List<QualityGoal>();
        foreach (var group in aggregates.Where(a => a.Evaluator != QualityBenchmark.FullRanking).GroupBy(a => (a.Dataset, a.Evaluator)))
        {
            double Ndcg(string method) => group.FirstOrDefault(a => a.Method == method)?.Metrics["NDCG@10"].Mean ?? double.NaN;
            double sft = Ndcg(ReportMethodNames.Sft), soft = Ndcg(ReportMethodNames.Soft);
            var best = group.MaxBy(a => a.Metrics["NDCG@10"].Mean)!;
            double sasrec = aggregates.FirstOrDefault(a => a.Dataset == group.Key.Dataset && a.Method == "SASRec")?.Metrics["NDCG@10"].Mean ?? double.NaN;
            double ratio = sft > 0 ? soft / sft : double.NaN;
            goals.Add(new QualityGoal(group.Key.Dataset, group.Key.Evaluator, sft, soft, ratio, ratio >= GoalRatio,
                best.Method, best.Metrics["NDCG@10"].Mean, sasrec, best.Metrics["NDCG@10"].Mean >= sasrec));
        }
        return goals;
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    /// <summary>The benchmark section of docs/BENCHMARKS.md (without the surrounding markers).</summary>
    public string Markdown(IReadOnlyList<string>? plots = null)
    {
        var md = new StringBuilder();
        var run = Runs.FirstOrDefault(r => r.BaseModelName == QualityBaseModels.Items);
        md.Append(Regime == QualityRegime.DefaultName
            ? "## Quality: SOFT against SFT, guidance-only and classical baselines (issues #6, #13, #20)\n\n"
            : $"## Quality, {Regime} regime: SOFT against SFT (issue #20)\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Regime `{Regime}`: {RegimeDescription}.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Command (`{Command}`), {Machine}; this process's wall time {TimeSpan.FromSeconds(WallSeconds):hh\\:mm\\:ss} (finished runs are resumed, not redone), finished {FinishedAt:yyyy-MM-dd HH:mm} UTC. ");
        md.Append(CultureInfo.InvariantCulture, $"Seeds {string.Join(", ", Seeds)}; numbers are mean ± sample standard deviation over the seeds (a row of one seed shows its value alone). ");
        if (run is not null)
            md.Append(CultureInfo.InvariantCulture, $"Base model: {run.BaseModel}, built per run. ");
        md.Append("Every method ranks the whole catalogue: the language models by exact scoring (every item's log-probability given the prompt, one forward pass with item tokens) and by BIGRec's L2 grounding of the top beam (the paper's protocol), Popularity and SASRec by their full score ranking; Popularity and SASRec learn from the same training interactions as the base model's pre-training.\n\n");
        if (Runs.Any(r => r.BaseModelName != QualityBaseModels.Items))
            md.Append("Rows named \"method · titles\" tune the same scratch LLaMA writing items as quoted titles (first seed, 200 test samples: exact scoring over the title trie costs about a second per LastFM prompt); \"method · stories260K\" tunes the pretrained stories260K with one added token per item. Each is compared with SFT on its own base model.\n\n");
        // Stage times are kept in each run folder across resumes, so this column is the pipeline's own time even when
        // this process only resumed finished runs.
        md.Append("| dataset | base model | seed | items | train | valid | test | pipeline time (all stages) |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in Runs)
            md.Append(CultureInfo.InvariantCulture, $"| {r.Dataset} | {r.BaseModelName} | {r.Seed} | {r.Items:N0} | {r.Train:N0} | {r.Valid:N0} | {r.Test:N0} | {TimeSpan.FromSeconds(r.StageSeconds.Values.Sum()):hh\\:mm\\:ss} |\n");
        md.Append('\n');
        var roots = Runs.Select(r => QualityBenchmark.RunRoot(r.Folder)).Distinct().ToList();
        if (roots.Count > 1)
            md.Append(CultureInfo.InvariantCulture, $"Pooled from the run roots {string.Join(", ", roots.Select(r => $"`{r}`"))} (`--runs`; each run's folder is in the JSON's `Runs`).\n\n");
        foreach (var dataset in Aggregates.Select(a => a.Dataset).Distinct())
        {
            md.Append(CultureInfo.InvariantCulture, $"### {dataset}\n\n");
            md.Append($"| method | scored by | {string.Join(" | ", Columns)} | distinct top-1 |\n|---|---|{string.Concat(Columns.Select(_ => "---:|"))}---:|\n");
            foreach (var a in Aggregates.Where(a => a.Dataset == dataset).OrderBy(a => Order(a.Evaluator)).ThenBy(a => MethodOrder(a.Method)))
                md.Append(CultureInfo.InvariantCulture, $"| {a.Method}{SeedShare(a)} | {a.Evaluator} | {string.Join(" | ", Columns.Select(c => a.Metrics.TryGetValue(c, out var v) ? v.ToString() : "–"))} | {DistinctTop1(a)} |\n");
            md.Append('\n');
            var differences = Differences.Where(d => d.Dataset == dataset).ToList();
            if (differences.Count > 0)
            {
                md.Append("Against SFT, NDCG@10 on the same test samples pooled over seeds (paired bootstrap, 2,000 resamples, 95 % intervals). The paired bootstrap holds the trained models fixed, so it leaves out how far the ratio moves between training runs; the per-seed ratios show that spread, and the last interval takes it in (a hierarchical bootstrap that draws seeds, then each drawn seed's samples; crude with few seeds, – with one). The verdict is the paired interval's:\n\n");
                md.Append("| method | scored by | pairs | difference | 95 % interval | ratio | 95 % interval | ratio per seed | 95 % interval, seeds drawn | verdict |\n|---|---|---:|---:|---|---:|---|---|---|---|\n");
                foreach (var d in differences.OrderBy(d => Order(d.Evaluator)).ThenBy(d => MethodOrder(d.Method)))
                    md.Append(CultureInfo.InvariantCulture, $"| {d.Method} | {d.Evaluator} | {d.Pairs:N0} | {d.Difference:+0.0000;-0.0000;0.0000} | [{d.Low:+0.0000;-0.0000;0.0000}, {d.High:+0.0000;-0.0000;0.0000}] | {Ratio(d.Ratio)} | [{d.RatioLow:F2}, {d.RatioHigh:F2}] | {string.Join(", ", d.SeedRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} | {SeedsDrawn(d)} | {d.Verdict} |\n");
                md.Append('\n');
            }
            md.Append(QualityMechanism.Markdown(Mechanisms, Distillations, dataset));
            foreach (var g in Goals.Where(g => g.Dataset == dataset))
            {
                md.Append(CultureInfo.InvariantCulture, $"- {g.Evaluator}: SOFT / SFT NDCG@10 = {g.SoftNdcg10:F4} / {g.SftNdcg10:F4} = **{Ratio(g.Ratio)}** (goal ≥ {GoalRatio}: {(g.SoftGoalMet ? "met" : "not met")}); ");
                md.Append(CultureInfo.InvariantCulture, $"best language-model row {g.BestLanguageModel} {g.BestLanguageModelNdcg10:F4} vs SASRec {g.SasRecNdcg10:F4} ({(g.SasRecGoalMet ? "at or above: met" : "below: not met")}).\n");
            }
            md.Append('\n');
        }
        foreach (string plot in plots ?? [])
            md.Append(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot.Replace('\\', '/')})\n\n");
        return md.ToString();
    }

    private static string SeedsDrawn(PairedDifference d) => double.IsNaN(d.HierarchicalRatioLow)
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"[{d.HierarchicalRatioLow:F2}, {d.HierarchicalRatioHigh:F2}]");

    // Distinct answers at rank 1 over the test prompts (Coverage@1 × catalogue size), as a share of the prompts: a
    // collapsed model answers everyone alike and shows 1 here.
    private string DistinctTop1(QualityAggregate a)
    {
        var run = Runs.FirstOrDefault(r => r.Dataset == a.Dataset && r.BaseModelName == QualityBaseModels.Split(a.Method).BaseModel);
        if (run is null || !a.Metrics.TryGetValue("Coverage@1", out var coverage))
            return "–";
        double distinct = coverage.Mean * run.Items;
        return string.Create(CultureInfo.InvariantCulture, $"{distinct:F0} ({distinct / run.Test:P0})");
    }

    // A summary can pool folders that hold different rows (--runs, or variants appended to some seeds): a row from fewer
    // runs than its dataset and base model has says so, as its mean is over those runs alone.
    private string SeedShare(QualityAggregate a)
    {
        int runs = Runs.Count(r => r.Dataset == a.Dataset && r.BaseModelName == QualityBaseModels.Split(a.Method).BaseModel);
        int seeds = a.Metrics.Values.Max(m => m.Count);
        return seeds < runs ? string.Create(CultureInfo.InvariantCulture, $" ({seeds} of {runs} seeds)") : "";
    }

    private static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", CultureInfo.InvariantCulture) + "×" : "undefined (SFT scored 0)";

    // The main base model's rows first, then each other base model's, each in method order.
    private static int MethodOrder(string name)
    {
        var (method, baseModel) = QualityBaseModels.Split(name);
        return 100 * Math.Max(0, QualityBaseModels.Names.ToList().IndexOf(baseModel)) + Order(method);
    }

    private static int Order(string name) => name switch
    {
        QualityBenchmark.Exact => 0,
        QualityBenchmark.Grounding => 1,
        QualityBenchmark.ConstrainedBeam => 2,
        QualityBenchmark.FullRanking => 3,
        ReportMethodNames.GuidanceOnly => 0,
        ReportMethodNames.Sft => 1,
        ReportMethodNames.Soft => 2,
        ReportMethodNames.WithoutSelfAdaptation => 3,
        "Popularity" => 20,
        "SASRec" => 21,
        _ => 10,
    };
}
