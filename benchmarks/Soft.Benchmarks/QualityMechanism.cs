using System.Globalization;
using System.Text;
using Soft.Data;
using Soft.Distillation;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Training;

namespace Soft.Benchmarks;

/// <summary>
/// Why a run's numbers came out as they did (issue #20): per tuned method the epochs it ran and kept and why it
/// stopped, λ, d and the losses on D and on D̂ per epoch; and how D̂ relates to D (agreement, distinct targets). Read
/// from the run folder's <c>trainer_state.json</c> files and <c>distilled.jsonl</c>.
/// </summary>
internal sealed record QualityMechanism(string Dataset, long Seed, string Method, int Epochs, int? BestEpoch, string StopReason,
    double? InitialDistance, IReadOnlyList<double> Lambdas, IReadOnlyList<double?> Distances, IReadOnlyList<double?> RealLosses,
    IReadOnlyList<double?> DistilledLosses, IReadOnlyList<double?> Validation)
{
    /// <summary>Every tuned method of the run in <paramref name="folder"/> whose stage finished.</summary>
    public static List<QualityMechanism> Read(string folder, string dataset, long seed, IEnumerable<string> methods, string metric)
    {
        var result = new List<QualityMechanism>();
        foreach (string method in methods)
        {
            var stage = method switch
            {
                ReportMethodNames.Sft => StageKey.Sft,
                ReportMethodNames.Soft => StageKey.Soft,
                _ => StageKey.Variant(method),
            };
            string path = Path.Combine(folder, stage.Name, "trainer_state.json");
            if (!File.Exists(path))
                continue;
            var state = TrainerState.Read(path);
            result.Add(new QualityMechanism(dataset, seed, method, state.Epochs.Count, state.BestEpoch, state.StopReason?.ToString() ?? "unfinished",
                state.InitialDistance, [.. state.Epochs.Select(e => e.Lambda)], [.. state.Epochs.Select(e => e.Distance)],
                [.. state.Epochs.Select(e => e.RealLoss)], [.. state.Epochs.Select(e => e.DistilledLoss)],
                [.. state.Epochs.Select(e => e.Validation.TryGetValue(metric, out double v) ? v : (double?)null)]));
        }
        return result;
    }

    public static string Markdown(IReadOnlyList<QualityMechanism> rows, IReadOnlyList<QualityDistillation> distillations, string dataset, string metric)
    {
        var md = new StringBuilder();
        var mine = rows.Where(r => r.Dataset == dataset).ToList();
        if (mine.Count == 0)
            return "";
        md.Append(CultureInfo.InvariantCulture, $"Why (per seed and method, one value per epoch; d₀ before the first; {metric} on the validation subset):\n\n");
        md.Append("| seed | method | epochs (kept; why stopped) | λ | d₀ → d | loss on D | loss on D̂ | validation |\n|---:|---|---|---|---|---|---|---|\n");
        foreach (var r in mine)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Seed} | {r.Method} | {r.Epochs} (kept {r.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "–"}; {r.StopReason}) | {Values(r.Lambdas.Select(v => (double?)v), "F2")} | ");
            md.Append(r.InitialDistance is { } d0 ? string.Create(CultureInfo.InvariantCulture, $"{d0:F2} → {Values(r.Distances, "F2")}") : "–");
            md.Append(CultureInfo.InvariantCulture, $" | {Values(r.RealLosses, "F2")} | {Values(r.DistilledLosses, "F2")} | {Values(r.Validation, "F3")} |\n");
        }
        md.Append('\n');
        var dHat = distillations.Where(d => d.Dataset == dataset).ToList();
        if (dHat.Count > 0)
        {
            md.Append("D̂ against D (the SFT model's top answer to each training prompt against the true next item):\n\n| seed | prompts | agreement | distinct D̂ targets | distinct true targets | soft labels: mean probability of the true item |\n|---:|---:|---:|---:|---:|---:|\n");
            foreach (var d in dHat)
                md.Append(CultureInfo.InvariantCulture, $"| {d.Seed} | {d.Prompts:N0} | {d.Agreement:P1} | {d.DistinctDistilled:N0} | {d.DistinctReal:N0} | {(d.TrueItemProbability is { } p ? p.ToString("F3", CultureInfo.InvariantCulture) : "–")} |\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    private static string Values(IEnumerable<double?> values, string format) =>
        string.Join(", ", values.Select(v => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–"));
}

/// <summary>D̂ of one run against the real targets: how often the SFT model's own answer is the true item, and how varied its answers are.</summary>
internal sealed record QualityDistillation(string Dataset, long Seed, int Prompts, double Agreement, int DistinctDistilled, int DistinctReal, double? TrueItemProbability)
{
    public static QualityDistillation? Read(string folder, string dataset, long seed)
    {
        string path = Path.Combine(folder, DistilledDatasetFile.FileName);
        if (!File.Exists(path))
            return null;
        var examples = DistilledDatasetFile.Read(path);
        if (examples.Count == 0)
            return null;
        double? probability = examples.All(e => e.SoftLabels is { Count: > 0 })
            ? examples.Average(e => ItemTokenText.Parse(e.RealTarget) is int target ? e.SoftLabels!.Where(l => l.Item == target).Sum(l => l.Probability) : 0)
            : null;
        return new QualityDistillation(dataset, seed, examples.Count,
            examples.Count(e => string.Equals(e.DistilledTarget.Trim(), e.RealTarget.Trim(), StringComparison.Ordinal)) / (double)examples.Count,
            examples.Select(e => e.DistilledTarget.Trim()).Distinct(StringComparer.Ordinal).Count(),
            examples.Select(e => e.RealTarget.Trim()).Distinct(StringComparer.Ordinal).Count(),
            probability);
    }
}
