using ScottPlot;
using Soft.IO;
using Soft.Reporting;

namespace Soft.Samples.Reporting;

/// <summary>
/// Draws a run report's figures as PNG files in <c>plots/</c>: training loss per epoch, the curriculum (λ and d
/// per epoch) and the test hit rates per method.
/// </summary>
/// <remarks>
/// Every file is rendered in memory and written atomically (temporary name, then rename), so a reader never sees
/// half an image. A figure whose data the report lacks (no training log, no curriculum) is not written.
/// </remarks>
public static class ReportPlots
{
    /// <summary>The training-loss figure's file name.</summary>
    public const string TrainingLossFile = "training-loss.png";

    /// <summary>The curriculum figure's file name.</summary>
    public const string CurriculumFile = "curriculum.png";

    /// <summary>The hit-rate figure's file name.</summary>
    public const string HitRateFile = "hit-rate.png";

    /// <summary>The cutoffs of the hit-rate figure.</summary>
    public static IReadOnlyList<int> HitRateCutoffs { get; } = [1, 5, 10, 20];

    /// <summary>Writes every figure the report has data for into <c>plots/</c> under <paramref name="folder"/>.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="report">The report to draw.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <returns>The paths of the written files.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    public static IReadOnlyList<string> WriteAll(string folder, SoftRunReport report, int width = 800, int height = 500)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        string plots = Path.Combine(folder, ReportMarkdown.PlotsFolder);
        var written = new List<string>();
        Save(TrainingLoss(report), Path.Combine(plots, TrainingLossFile), width, height, written);
        Save(Curriculum(report), Path.Combine(plots, CurriculumFile), width, height, written);
        Save(HitRate(report), Path.Combine(plots, HitRateFile), width, height, written);
        return written;
    }

    /// <summary>Training loss per epoch, one line per method of <see cref="SoftRunReport.Training"/>.</summary>
    /// <param name="report">The report to draw.</param>
    /// <returns>The figure, or null when the report has no trained epoch.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Plot? TrainingLoss(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Training.Values.All(t => t.EpochRecords.Count == 0))
            return null;
        var plot = new Plot();
        int index = 0;
        foreach (var (method, training) in report.Training)
        {
            // A diverged epoch's NaN loss would break the axis limits; it is visible in report.json instead.
            var points = training.EpochRecords.Where(e => double.IsFinite(e.CombinedLoss)).ToList();
            var line = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => e.CombinedLoss).ToArray());
            line.LegendText = method;
            line.Color = MethodColor(index++);
        }
        plot.Title($"Training loss: {report.Dataset}");
        plot.XLabel("epoch");
        plot.YLabel("mean training loss");
        IntegerEpochTicks(plot);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>SOFT's curriculum: λ per epoch on the left axis and the grounded distance d (d_0 at epoch 0) on the right one.</summary>
    /// <param name="report">The report to draw.</param>
    /// <returns>The figure, or null when SOFT did not train.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Plot? Curriculum(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Training.TryGetValue(ReportMethodNames.Soft, out var soft) || soft.EpochRecords.Count == 0)
            return null;
        var plot = new Plot();
        var withLambda = soft.EpochRecords.Where(e => double.IsFinite(e.Lambda)).ToList();
        var lambda = plot.Add.Scatter(withLambda.Select(e => (double)e.Epoch).ToArray(), withLambda.Select(e => e.Lambda).ToArray());
        lambda.LegendText = "λ (weight of distilled loss)";
        lambda.Color = MethodColor(0);
        var distances = new List<(double Epoch, double Distance)>();
        if (soft.InitialDistance is { } d0 && double.IsFinite(d0))
            distances.Add((0, d0));
        distances.AddRange(soft.EpochRecords.Where(e => e.Distance is { } d && double.IsFinite(d)).Select(e => ((double)e.Epoch, e.Distance!.Value)));
        var distance = plot.Add.Scatter(distances.Select(p => p.Epoch).ToArray(), distances.Select(p => p.Distance).ToArray());
        distance.LegendText = "d (mean grounded distance)";
        distance.Color = MethodColor(1);
        distance.LinePattern = LinePattern.Dashed;
        // Two scales: λ lives in [0, 1], d in embedding units.
        distance.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = "λ";
        plot.Axes.Right.Label.Text = "d";
        plot.Axes.SetLimitsY(0, 1.05, plot.Axes.Left);
        // Fixing λ's axis stops the automatic x range from covering epoch 0, which only d has.
        double first = soft.InitialDistance is null ? soft.EpochRecords[0].Epoch : 0, last = soft.EpochRecords[^1].Epoch;
        plot.Axes.SetLimitsX(first - 0.25, last + 0.25);
        plot.Title("SOFT curriculum");
        plot.XLabel("epoch");
        IntegerEpochTicks(plot);
        // Both curves usually fall from the upper left to the lower right; below the chart the legend hides neither.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>Test HR@K for K in <see cref="HitRateCutoffs"/>: one group of bars per cutoff, one bar per method.</summary>
    /// <param name="report">The report to draw.</param>
    /// <returns>The figure.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static Plot HitRate(SoftRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        // The main evaluator's numbers, one bar per method.
        var methods = report.MethodNames.Where(m => report.MetricsOf(m) is not null).ToList();
        // Each group is methods.Count bars wide with one empty slot between groups.
        int groupWidth = methods.Count + 1;
        var bars = new List<Bar>();
        for (int k = 0; k < HitRateCutoffs.Count; k++)
        {
            string metric = $"HR@{HitRateCutoffs[k]}";
            for (int m = 0; m < methods.Count; m++)
            {
                double value = report.MetricsOf(methods[m])!.GetValueOrDefault(metric);
                bars.Add(new Bar { Position = k * groupWidth + m, Value = double.IsFinite(value) ? value : 0, FillColor = MethodColor(m) });
            }
        }
        plot.Add.Bars(bars);
        for (int m = 0; m < methods.Count; m++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = methods[m], FillColor = MethodColor(m) });
        double[] centres = Enumerable.Range(0, HitRateCutoffs.Count).Select(k => k * groupWidth + (methods.Count - 1) / 2.0).ToArray();
        string[] labels = HitRateCutoffs.Select(k => $"HR@{k}").ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Test hit rate: {report.Dataset}");
        plot.YLabel("hit rate");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static void Save(Plot? plot, string path, int width, int height, List<string> written)
    {
        if (plot is null)
            return;
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
        written.Add(path);
    }

    // Epochs are whole numbers; ScottPlot's default ticks would label 1.5.
    private static void IntegerEpochTicks(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    private static Color MethodColor(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
