using System.Globalization;
using Soft.Reporting;
using Spectre.Console;

namespace Soft.Samples.Reporting;

/// <summary>
/// Shows a run report in the terminal for the quickstart: a methods × metrics table (HR and NDCG at 1, 5, 10
/// and 20, best value per column highlighted) and the curriculum (epoch, λ, d).
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

    /// <summary>The curriculum of <paramref name="report"/>: one row per epoch with λ and d.</summary>
    /// <param name="report">The report to show.</param>
    /// <returns>The table; it has no rows when the run had no curriculum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Table CurriculumTable(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().Title("SOFT curriculum");
        table.AddColumn(new TableColumn("Epoch").RightAligned());
        table.AddColumn(new TableColumn("λ").RightAligned());
        table.AddColumn(new TableColumn("d").RightAligned());
        foreach (var point in report.Curriculum)
            table.AddRow(point.Epoch.ToString(Invariant), Format(point.Lambda), Format(point.Distance));
        return table;
    }

    /// <summary>Writes the metrics table and, when the run had one, the curriculum table to <paramref name="console"/>.</summary>
    /// <param name="console">The console to write to, usually <see cref="AnsiConsole.Console"/>.</param>
    /// <param name="report">The report to show.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> or <paramref name="report"/> is null.</exception>
    public static void Write(IAnsiConsole console, SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.Write(MetricsTable(report));
        if (report.Curriculum.Count > 0)
            console.Write(CurriculumTable(report));
    }

    private static string Format(double? value) => value is { } v ? v.ToString("0.0000", Invariant) : "—";
}
