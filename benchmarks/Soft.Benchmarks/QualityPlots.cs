using ScottPlot;
using Soft.IO;

namespace Soft.Benchmarks;

/// <summary>One PNG per dataset: NDCG@10 per method and evaluator, mean with a ±std error bar.</summary>
internal static class QualityPlots
{
    public static IReadOnlyList<string> Write(string folder, QualitySummary summary)
    {
        var written = new List<string>();
        foreach (var dataset in summary.Aggregates.Select(a => a.Dataset).Distinct())
        {
            var rows = summary.Aggregates.Where(a => a.Dataset == dataset).ToList();
            var plot = new Plot();
            var palette = new ScottPlot.Palettes.Category10();
            var evaluators = rows.Select(r => r.Evaluator).Distinct().ToList();
            var labels = new List<(double Position, string Text)>();
            double x = 0;
            foreach (var row in rows.OrderBy(r => evaluators.IndexOf(r.Evaluator)))
            {
                var value = row.Metrics["NDCG@10"];
                var bar = new Bar
                {
                    Position = x,
                    Value = value.Mean,
                    Error = value.Std,
                    FillColor = palette.GetColor(evaluators.IndexOf(row.Evaluator)),
                };
                plot.Add.Bar(bar);
                labels.Add((x, row.Method));
                x += 1;
            }
            for (int e = 0; e < evaluators.Count; e++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = evaluators[e], FillColor = palette.GetColor(e) });
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. labels.Select(l => l.Position)], [.. labels.Select(l => l.Text)]);
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            // Room for the rotated method names, which ScottPlot would otherwise clip.
            plot.Axes.Bottom.MinimumSize = 190;
            plot.Axes.Margins(bottom: 0);
            plot.Title($"NDCG@10 on {dataset} (mean ± std over seeds {string.Join(", ", summary.Seeds)})");
            plot.YLabel("NDCG@10");
            plot.ShowLegend(Alignment.UpperLeft);
            // One set per regime: the default regime keeps the first names.
            string path = Path.Combine(folder, summary.Regime == QualityRegime.DefaultName ? $"quality-{dataset}.png" : $"quality-{summary.Regime}-{dataset}.png");
            AtomicFile.WriteAllBytes(path, plot.GetImageBytes(1100, 700, ImageFormat.Png));
            written.Add(path);
        }
        return written;
    }
}
