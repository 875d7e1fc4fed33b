using System.Globalization;
using Soft.Reporting;
using Spectre.Console;

namespace Soft.Samples.Reporting;

/// <summary>
/// Shows a run report in the terminal for the quickstart: a methods × metrics table (HR and NDCG at 1, 5, 10
/// and 20, best value per column highlighted) and how SFT and SOFT trained (epochs, why they stopped, λ, d, the losses
/// on D and D̂ per epoch, D̂'s agreement with the true targets).
/// </summary>
public static class ReportConsole
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The methods × metrics table of <paramref name="report"/>.</summary>
    /// <param name="report">The report to show.</param>
    /// <returns>
    /// A table with one row per metric (HR and NDCG at 1, 5, 10 and 20, then MRR when reported) and one column per
    /// method, the best value of each row in bold green, and SOFT's relative gain over SFT when both ran.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <remarks>
    /// Metrics are rows rather than columns so that the table fits an 80-column terminal whatever the number of
    /// cutoffs: nine columns of four-decimal numbers do not.
    /// </remarks>
    public static Table MetricsTable(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // One column per method and evaluator; a winner is marked among the methods under the same evaluator.
        var results = report.Results;
        bool qualify = report.EvaluatorNames.Count > 1;
        var sft = report.MetricsOf(ReportMethodNames.Sft);
        var soft = report.MetricsOf(ReportMethodNames.Soft);
        bool gain = sft is not null && soft is not null;
        var table = new Table().Title($"Test metrics: {Markup.Escape(report.Dataset)}");
        table.AddColumn("Metric");
        foreach (var result in results)
            table.AddColumn(new TableColumn(Markup.Escape(result.Label(qualify))).RightAligned());
        if (gain)
            table.AddColumn(new TableColumn("SOFT vs SFT").RightAligned());

        foreach (string metric in ReportMarkdown.MetricColumns(report))
        {
            static double? Value(IReadOnlyDictionary<string, double>? metrics, string metric) => metrics is not null && metrics.TryGetValue(metric, out double v) ? v : null;
            var cells = new List<string> { metric };
            foreach (var result in results)
            {
                if (Value(result.Metrics, metric) is not { } value)
                {
                    cells.Add("—");
                    continue;
                }
                var rivals = results.Where(r => r.Evaluator == result.Evaluator).ToList();
                double best = rivals.Select(r => Value(r.Metrics, metric) is { } v && double.IsFinite(v) ? v : double.NegativeInfinity).Max();
                string text = value.ToString("0.0000", Invariant);
                // Highlighting only marks a winner when there is someone to beat.
                cells.Add(rivals.Count > 1 && value == best ? $"[bold green]{text}[/]" : text);
            }
            if (gain)
                cells.Add(ReportMarkdown.FormatRelativeGain(Value(sft, metric), Value(soft, metric)));
            table.AddRow(cells.ToArray());
        }
        // How many different items are somebody's first answer: a model that answers everyone alike shows 1.
        if (report.DatasetStatistics?["items"] is { } items && items.GetValue<int>() is int count)
        {
            var cells = new List<string> { "distinct top-1" };
            foreach (var result in results)
                cells.Add(result.Metrics.TryGetValue("Coverage@1", out double c) ? Math.Round(c * count).ToString(Invariant) : "—");
            if (gain)
                cells.Add("");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>
    /// How SFT and SOFT trained, compactly: one column per method, one row per fact, each per-epoch row listing the
    /// epochs' values in order. The rows: epochs run and kept and why the stage stopped, λ, d (d₀ first when
    /// measured), the loss on D and the loss on D̂.
    /// </summary>
    /// <param name="report">The report to show.</param>
    /// <returns>The table; it has no method column when neither SFT nor SOFT trained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Table TrainingTable(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var methods = new[] { ReportMethodNames.Sft, ReportMethodNames.Soft }
            .Where(report.Training.ContainsKey).Select(m => (Name: m, Training: report.Training[m])).ToList();
        var table = new Table().Title("Training (per epoch, in order)");
        table.AddColumn("");
        foreach (var (name, _) in methods)
            table.AddColumn(Markup.Escape(name));
        void Row(string label, Func<MethodTraining, string> cell) =>
            table.AddRow(methods.Select(m => Markup.Escape(cell(m.Training))).Prepend(Markup.Escape(label)).ToArray());
        Row("epochs", t => string.Create(Invariant, $"{t.Epochs} run, kept {(t.BestEpoch is { } b ? b.ToString(Invariant) : "none")}"));
        Row("stopped", t => t.StopReason switch
        {
            Soft.Training.TrainingStopReason.EarlyStopped => $"early ({t.MetricName} flat)",
            Soft.Training.TrainingStopReason.NonFinite => "non-finite loss",
            _ => "max epochs",
        });
        Row("λ", t => Series(t.EpochRecords.Select(e => (double?)e.Lambda), "0.00"));
        Row("d", t => t.InitialDistance is null && t.EpochRecords.All(e => e.Distance is null)
            ? "—"
            : Series(t.EpochRecords.Select(e => e.Distance).Prepend(t.InitialDistance), "0.000"));
        Row("loss on D", t => Series(t.EpochRecords.Select(e => e.RealLoss), "0.000"));
        Row("loss on D̂", t => Series(t.EpochRecords.Select(e => e.DistilledLoss), "0.000"));
        return table;
    }

    /// <summary>
    /// D̂ in one line: <c>"D̂: agreement 12.5 % of 64 prompts, 9 distinct targets (D: 51)"</c>, the share of training
    /// prompts whose distilled answer is the true target and how varied the answers are next to the true targets.
    /// </summary>
    /// <param name="report">The report to show.</param>
    /// <returns>The line, or null when the run made no D̂.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static string? DistillationLine(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Distillation is not { } d ? null : string.Create(Invariant,
            $"D̂: agreement {d.Agreement * 100:0.0} % of {d.Prompts} prompts, {d.DistinctTargets} distinct targets (D: {d.DistinctTrueTargets})");
    }

    /// <summary>
    /// Writes the metrics table and, when SFT or SOFT trained, the training table (see <see cref="TrainingTable"/>) and
    /// the <see cref="DistillationLine"/> to <paramref name="console"/>.
    /// </summary>
    /// <param name="console">The console to write to, usually <see cref="AnsiConsole.Console"/>.</param>
    /// <param name="report">The report to show.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> or <paramref name="report"/> is null.</exception>
    public static void Write(IAnsiConsole console, SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.Write(MetricsTable(report));
        if (report.Training.ContainsKey(ReportMethodNames.Sft) || report.Training.ContainsKey(ReportMethodNames.Soft))
            console.Write(TrainingTable(report));
        if (DistillationLine(report) is { } line)
            console.WriteLine(line);
    }

    // Per-epoch values on one line: a reader follows λ or a loss across epochs left to right.
    private static string Series(IEnumerable<double?> values, string format)
    {
        var list = values.ToList();
        return list.All(v => v is null) ? "—" : string.Join(' ', list.Select(v => v is { } x ? x.ToString(format, Invariant) : "—"));
    }
}
