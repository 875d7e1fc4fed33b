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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4}");
}

/// <summary>One table line: a method under one evaluator on one dataset, aggregated over seeds.</summary>
internal sealed record QualityAggregate(string Dataset, string Evaluator, string Method, IReadOnlyDictionary<string, MeanStd> Metrics);

/// <summary>Whether the goal of issue #6 was met on one dataset and evaluator.</summary>
internal sealed record QualityGoal(string Dataset, string Evaluator, double SftNdcg10, double SoftNdcg10, double Ratio, bool SoftGoalMet, string BestLanguageModel, double BestLanguageModelNdcg10, double SasRecNdcg10, bool SasRecGoalMet);

/// <summary>Everything the quality benchmark measured, with the aggregates and the goal check; written as JSON and Markdown.</summary>
internal sealed record QualitySummary
{
    public const double GoalRatio = 1.376;
    public static readonly string[] Columns = ["HR@1", "HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20"];

    public required string Command { get; init; }
    public required string Machine { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required double WallSeconds { get; init; }
    public required IReadOnlyList<long> Seeds { get; init; }
    public required IReadOnlyList<QualityRunInfo> Runs { get; init; }
    public required IReadOnlyList<QualityRow> Rows { get; init; }
    public required IReadOnlyList<QualityAggregate> Aggregates { get; init; }
    public required IReadOnlyList<QualityGoal> Goals { get; init; }

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
        };
    }

    // SOFT against SFT per dataset and language-model evaluator, and the best language-model row against SASRec.
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
        var run = Runs.FirstOrDefault();
        md.Append("## Quality: SOFT against SFT, guidance-only and classical baselines (issue #6)\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Command (`{Command}`), {Machine}; this process's wall time {TimeSpan.FromSeconds(WallSeconds):hh\\:mm\\:ss} (finished runs are resumed, not redone), finished {FinishedAt:yyyy-MM-dd HH:mm} UTC. ");
        md.Append(CultureInfo.InvariantCulture, $"Seeds {string.Join(", ", Seeds)}; numbers are mean ± sample standard deviation over the seeds. ");
        if (run is not null)
            md.Append(CultureInfo.InvariantCulture, $"Base model: {run.BaseModel}, built per run. ");
        md.Append("Every method ranks the whole catalogue; the language models are scored by BIGRec's L2 grounding (the paper's protocol) and by trie-constrained beam search (10 beams, the top 10 items only), Popularity and SASRec by their full score ranking.\n\n");
        // Stage times are kept in each run folder across resumes, so this column is the pipeline's own time even when
        // this process only resumed finished runs.
        md.Append("| dataset | seed | items | train | valid | test | pipeline time (all stages) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in Runs)
            md.Append(CultureInfo.InvariantCulture, $"| {r.Dataset} | {r.Seed} | {r.Items:N0} | {r.Train:N0} | {r.Valid:N0} | {r.Test:N0} | {TimeSpan.FromSeconds(r.StageSeconds.Values.Sum()):hh\\:mm\\:ss} |\n");
        md.Append('\n');
        foreach (var dataset in Aggregates.Select(a => a.Dataset).Distinct())
        {
            md.Append(CultureInfo.InvariantCulture, $"### {dataset}\n\n");
            md.Append($"| method | scored by | {string.Join(" | ", Columns)} |\n|---|---|{string.Concat(Columns.Select(_ => "---:|"))}\n");
            foreach (var a in Aggregates.Where(a => a.Dataset == dataset).OrderBy(a => Order(a.Evaluator)).ThenBy(a => Order(a.Method)))
                md.Append(CultureInfo.InvariantCulture, $"| {a.Method} | {a.Evaluator} | {string.Join(" | ", Columns.Select(c => a.Metrics.TryGetValue(c, out var v) ? v.ToString() : "–"))} |\n");
            md.Append('\n');
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

    private static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", CultureInfo.InvariantCulture) + "×" : "undefined (SFT scored 0)";

    private static int Order(string name) => name switch
    {
        QualityBenchmark.Grounding => 0,
        QualityBenchmark.ConstrainedBeam => 1,
        QualityBenchmark.FullRanking => 2,
        ReportMethodNames.GuidanceOnly => 0,
        ReportMethodNames.Sft => 1,
        ReportMethodNames.Soft => 2,
        ReportMethodNames.WithoutSelfAdaptation => 3,
        "Popularity" => 20,
        "SASRec" => 21,
        _ => 10,
    };
}
