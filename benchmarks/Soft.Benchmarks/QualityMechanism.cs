using System.Globalization;
using System.Text;
using Soft.Reporting;

namespace Soft.Benchmarks;

/// <summary>
/// Why a run's numbers came out as they did (issue #20): per tuned method the epochs it ran and kept and why it
/// stopped, λ, d and the losses on D and on D̂ per epoch; and how D̂ relates to D (agreement, distinct targets). Read
/// from the run's report (<see cref="SoftRunReport.Training"/>, <see cref="SoftRunReport.Distillation"/>).
/// </summary>
internal sealed record QualityMechanism(string Dataset, long Seed, string Method, int Epochs, int? BestEpoch, string StopReason,
    string MetricName, double? InitialDistance, IReadOnlyList<double> Lambdas, IReadOnlyList<double?> Distances, IReadOnlyList<double?> RealLosses,
    IReadOnlyList<double?> DistilledLosses, IReadOnlyList<double?> Validation)
{
    /// <summary>Every tuned method of a finished run, from its report's training record.</summary>
    public static List<QualityMechanism> From(SoftRunReport report, string dataset, long seed) =>
        [.. (report.Training ?? new Dictionary<string, MethodTraining>()).Select(t => new QualityMechanism(dataset, seed, t.Key, t.Value.Epochs, t.Value.BestEpoch,
            t.Value.StopReason.ToString(), t.Value.MetricName, t.Value.InitialDistance, [.. t.Value.EpochRecords.Select(e => e.Lambda)], [.. t.Value.EpochRecords.Select(e => e.Distance)],
            [.. t.Value.EpochRecords.Select(e => e.RealLoss)], [.. t.Value.EpochRecords.Select(e => e.DistilledLoss)],
            [.. t.Value.EpochRecords.Select(e => e.Validation.TryGetValue(t.Value.MetricName, out double v) ? v : (double?)null)]))];

    public static string Markdown(IReadOnlyList<QualityMechanism> rows, IReadOnlyList<QualityDistillation> distillations, string dataset)
    {
        var md = new StringBuilder();
        var mine = rows.Where(r => r.Dataset == dataset).ToList();
        if (mine.Count == 0)
            return "";
        string metrics = string.Join(", ", mine.Select(r => r.MetricName).Distinct(StringComparer.Ordinal));
        md.Append(CultureInfo.InvariantCulture, $"Why (per seed and method, one value per epoch; d₀ before the first; {metrics} on the validation subset):\n\n");
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
                md.Append(CultureInfo.InvariantCulture, $"| {d.Seed} | {d.Diagnostics.Prompts:N0} | {d.Diagnostics.Agreement:P1} | {d.Diagnostics.DistinctTargets:N0} | {d.Diagnostics.DistinctTrueTargets:N0} | {(d.Diagnostics.SoftLabelTrueTargetProbability is { } p ? p.ToString("F3", CultureInfo.InvariantCulture) : "–")} |\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    private static string Values(IEnumerable<double?> values, string format) =>
        string.Join(", ", values.Select(v => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–"));
}

/// <summary>D̂ of one run against the real targets (the report's <see cref="DistillationDiagnostics"/>), with the run it belongs to.</summary>
internal sealed record QualityDistillation(string Dataset, long Seed, DistillationDiagnostics Diagnostics)
{
    public static QualityDistillation? From(SoftRunReport report, string dataset, long seed) =>
        report.Distillation is { } diagnostics ? new QualityDistillation(dataset, seed, diagnostics) : null;
}
