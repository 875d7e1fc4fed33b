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
    /// <returns>A table with one row per method and one column per metric of <see cref="SoftRunReport.RequiredMetrics"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Table MetricsTable(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = SoftRunReport.RequiredMetrics;
        var table = new Table().Title($"Test metrics: {Markup.Escape(report.Dataset)}");
        table.AddColumn("Method");
        foreach (string column in columns)
            table.AddColumn(new TableColumn(column).RightAligned());
        var best = columns.ToDictionary(
            c => c,
            c => report.Methods.Values.Select(m => m.TryGetValue(c, out double v) && double.IsFinite(v) ? v : double.NegativeInfinity).Max(),
            StringComparer.Ordinal);
        foreach (var (method, metrics) in report.Methods)
        {
            var cells = new List<string> { Markup.Escape(method) };
            foreach (string column in columns)
            {
                if (!metrics.TryGetValue(column, out double value))
                {
                    cells.Add("—");
                    continue;
                }
                string text = value.ToString("0.0000", Invariant);
                // Bold only marks a winner when there is someone to beat.
                cells.Add(report.Methods.Count > 1 && value == best[column] ? $"[bold green]{text}[/]" : text);
            }
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
