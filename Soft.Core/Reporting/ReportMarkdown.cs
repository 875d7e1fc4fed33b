using System.Globalization;
using System.Text;
using Soft.IO;

namespace Soft.Reporting;

/// <summary>
/// Renders a <see cref="SoftRunReport"/> as <c>report.md</c>: the run facts, a methods × metrics table with the
/// best value of each column in bold, SOFT's relative gain over SFT, how each method trained (why it stopped, the
/// kept epoch, per epoch λ, d and the losses on D and D̂) and what D̂ is like, the stage timings and links to the plots.
/// </summary>
public static class ReportMarkdown
{
    /// <summary>The rendered report's file name inside a run folder.</summary>
    public const string FileName = "report.md";

    /// <summary>The folder, relative to the run folder, whose PNG files <see cref="Write"/> links.</summary>
    public const string PlotsFolder = "plots";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders the report as Markdown.</summary>
    /// <param name="report">The report to render.</param>
    /// <param name="plotLinks">Paths of plot images relative to the Markdown file, linked in this order; none when null.</param>
    /// <returns>The Markdown text, lines ending in <c>\n</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static string Render(SoftRunReport report, IEnumerable<string>? plotLinks = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(Invariant, $"# SOFT run report: {report.Dataset}\n\n");
        AppendFacts(md, report);
        AppendMetrics(md, report);
        AppendGain(md, report);
        AppendTraining(md, report);
        AppendStages(md, report);
        AppendPlots(md, plotLinks?.ToList() ?? []);
        AppendNotes(md, report);
        return md.ToString();
    }

    /// <summary>
    /// Writes <see cref="FileName"/> into <paramref name="folder"/> atomically, linking every PNG already in its
    /// <see cref="PlotsFolder"/> subfolder (in name order), so write the plots first.
    /// </summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="report">The report to render.</param>
    /// <returns>The path of the written file.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static string Write(string folder, SoftRunReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(report);
        string plots = Path.Combine(folder, PlotsFolder);
        var links = Directory.Exists(plots)
            ? Directory.EnumerateFiles(plots, "*.png")
                .Select(p => PlotsFolder + "/" + Path.GetFileName(p))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, Render(report, links));
        return path;
    }

    /// <summary>
    /// The metric columns of the methods table: HR and NDCG at 1, 5, 10 and 20 in that order, then MRR when any
    /// method has it.
    /// </summary>
    /// <param name="report">The report whose methods are shown.</param>
    /// <returns>The column names.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static IReadOnlyList<string> MetricColumns(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = new List<string>(SoftRunReport.RequiredMetrics);
        if (report.Results.Any(r => r.Metrics.ContainsKey("MRR")))
            columns.Add("MRR");
        // Coverage@1 is the share of the catalogue some user gets as the top answer: a collapsed model shows ~1/items.
        foreach (string coverage in new[] { "Coverage@1", "Coverage@10" })
        {
            if (report.Results.Any(r => r.Metrics.ContainsKey(coverage)))
                columns.Add(coverage);
        }
        return columns;
    }

    /// <summary>
    /// SOFT's relative gain over SFT on one metric, as a reader sees it: <c>"+12.3 %"</c>, <c>"-4.0 %"</c>, or
    /// <c>"n/a"</c> when SFT scored 0 (a ratio to nothing) or a value is missing.
    /// </summary>
    /// <param name="sft">SFT's value, or null when missing.</param>
    /// <param name="soft">SOFT's value, or null when missing.</param>
    /// <returns>The formatted gain.</returns>
    public static string FormatRelativeGain(double? sft, double? soft)
    {
        if (sft is not { } baseline || soft is not { } value || baseline == 0 || !double.IsFinite(baseline) || !double.IsFinite(value))
            return "n/a";
        double percent = (value - baseline) / baseline * 100;
        return percent.ToString("+0.0;-0.0;+0.0", Invariant) + " %";
    }

    private static void AppendFacts(StringBuilder md, SoftRunReport report)
    {
        md.Append("| Fact | Value |\n|---|---|\n");
        Fact(md, "Dataset", report.Dataset);
        Fact(md, "Base model", report.BaseModel);
        Fact(md, "Preset", report.Preset);
        Fact(md, "Seed", report.Seed.ToString(Invariant));
        Fact(md, "Device", report.Device);
        Fact(md, "Threads", report.Threads?.ToString(Invariant));
        Fact(md, "Started", report.StartedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant));
        Fact(md, "Wall time", report.WallTime is { } wall ? FormatDuration(wall.TotalSeconds) : null);
        Fact(md, "Peak memory", report.PeakMemoryBytes is { } bytes ? FormatBytes(bytes) : null);
        md.Append('\n');
    }

    private static void Fact(StringBuilder md, string name, string? value) =>
        md.Append(Invariant, $"| {name} | {Escape(value ?? "—")} |\n");

    private static void AppendMetrics(StringBuilder md, SoftRunReport report)
    {
        var columns = MetricColumns(report);
        md.Append("## Test metrics\n\n");
        md.Append("| Method | Evaluator | ").AppendJoin(" | ", columns).Append(" |\n");
        md.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", columns.Count))).Append('\n');
        // Rows by evaluator (the main one first), then methods in run order. Bold marks the best value of a column
        // among the methods under the same evaluator, when there is something to compare against.
        foreach (string evaluator in report.EvaluatorNames)
        {
            var rows = report.Results.Where(r => r.Evaluator == evaluator).ToList();
            var best = columns.ToDictionary(
                c => c,
                c => rows.Count > 1 ? rows.Select(r => r.Metrics.TryGetValue(c, out double v) && double.IsFinite(v) ? v : double.NegativeInfinity).Max() : double.NaN,
                StringComparer.Ordinal);
            foreach (var row in rows)
            {
                md.Append(Invariant, $"| {Escape(row.Method)} | {Escape(row.Evaluator)} |");
                foreach (string column in columns)
                {
                    if (!row.Metrics.TryGetValue(column, out double value))
                    {
                        md.Append(" — |");
                        continue;
                    }
                    string cell = FormatMetric(value);
                    md.Append(' ').Append(value == best[column] ? $"**{cell}**" : cell).Append(" |");
                }
                md.Append('\n');
            }
        }
        md.Append("\nBest value per column and evaluator in bold.\n\n");
    }

    private static void AppendGain(StringBuilder md, SoftRunReport report)
    {
        if (report.MetricsOf(ReportMethodNames.Sft) is not { } sft || report.MetricsOf(ReportMethodNames.Soft) is not { } soft)
            return;
        md.Append(Invariant, $"## SOFT over SFT ({Escape(report.EvaluatorNames[0])})\n\n| Metric | SFT | SOFT | Relative gain |\n|---|---:|---:|---:|\n");
        foreach (string column in MetricColumns(report))
        {
            double? a = sft.TryGetValue(column, out double x) ? x : null;
            double? b = soft.TryGetValue(column, out double y) ? y : null;
            md.Append(Invariant, $"| {column} | {FormatMetric(a)} | {FormatMetric(b)} | {FormatRelativeGain(a, b)} |\n");
        }
        md.Append('\n');
    }

    private static void AppendTraining(StringBuilder md, SoftRunReport report)
    {
        if (report.Training.Count == 0 && report.Distillation is null)
            return;
        md.Append("## Training\n\n");
        md.Append("λ weighs the loss on D̂ (the SFT model's own answers) against the loss on D (the true targets); both losses are measured every epoch, ");
        md.Append("whatever λ. d is the mean grounded distance measured after the epoch (epoch 0: before training). ");
        md.Append("The last column is the validation metric that picks the kept epoch.\n\n");
        foreach (var (method, training) in report.Training)
        {
            md.Append(Invariant, $"**{Escape(method)}**: {training.Describe()}.\n\n");
            md.Append(Invariant, $"| Epoch | λ | d | Loss on D | Loss on D̂ | {Escape(training.MetricName)} (validation) |\n|---:|---:|---:|---:|---:|---:|\n");
            if (training.InitialDistance is { } d0)
                md.Append(Invariant, $"| 0 | — | {FormatMetric(d0)} | — | — | — |\n");
            foreach (var epoch in training.EpochRecords)
            {
                double? validation = epoch.Validation.TryGetValue(training.MetricName, out double v) ? v : null;
                md.Append(Invariant, $"| {epoch.Epoch} | {FormatMetric(epoch.Lambda)} | {FormatMetric(epoch.Distance)} | {FormatMetric(epoch.RealLoss)} | {FormatMetric(epoch.DistilledLoss)} | {FormatMetric(validation)} |\n");
            }
            md.Append('\n');
        }
        if (report.Distillation is { } distillation)
            md.Append(Invariant, $"Self-distillation (D̂): {distillation.Describe()}.\n\n");
    }

    private static void AppendStages(StringBuilder md, SoftRunReport report)
    {
        if (report.StageSeconds.Count == 0)
            return;
        md.Append("## Stage timings\n\n| Stage | Time |\n|---|---:|\n");
        foreach (var (stage, seconds) in report.StageSeconds)
            md.Append(Invariant, $"| {Escape(stage)} | {FormatDuration(seconds)} |\n");
        md.Append(Invariant, $"| **Total** | **{FormatDuration(report.StageSeconds.Values.Sum())}** |\n\n");
    }

    private static void AppendPlots(StringBuilder md, List<string> links)
    {
        if (links.Count == 0)
            return;
        md.Append("## Plots\n\n");
        foreach (string link in links)
        {
            string name = Path.GetFileNameWithoutExtension(link);
            md.Append(Invariant, $"![{name}]({link.Replace(" ", "%20", StringComparison.Ordinal)})\n\n");
        }
    }

    private static void AppendNotes(StringBuilder md, SoftRunReport report)
    {
        if (report.Notes.Count == 0)
            return;
        md.Append("## Notes\n\n");
        foreach (string note in report.Notes)
            md.Append("- ").Append(note).Append('\n');
        md.Append('\n');
    }

    private static string FormatMetric(double? value) => value switch
    {
        null => "—",
        { } v when double.IsNaN(v) => "NaN",
        { } v => v.ToString("0.0000", Invariant),
    };

    /// <summary>Seconds as "12.3 s" below a minute, "m:ss" below an hour, "h:mm:ss" above.</summary>
    private static string FormatDuration(double seconds)
    {
        if (!double.IsFinite(seconds))
            return "—";
        if (seconds < 60)
            return seconds.ToString("0.0", Invariant) + " s";
        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span.TotalHours >= 1
            ? string.Create(Invariant, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(Invariant, $"{span.Minutes}:{span.Seconds:00}");
    }

    private static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? string.Create(Invariant, $"{bytes} B") : string.Create(Invariant, $"{value:0.00} {units[unit]}");
    }

    // A '|' inside a cell would split it.
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
