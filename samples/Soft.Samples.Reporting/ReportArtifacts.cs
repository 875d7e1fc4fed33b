using Soft.Reporting;

namespace Soft.Samples.Reporting;

/// <summary>
/// Writes every reader-facing file of a finished run into its folder, in the order that keeps the links right:
/// <c>plots/*.png</c>, then <c>report.md</c> (which links the plots it finds), <c>report.json</c> and
/// <c>tensorboard/</c>.
/// </summary>
public static class ReportArtifacts
{
    /// <summary>Writes the plots, the Markdown and JSON reports and the TensorBoard event files of <paramref name="report"/>.</summary>
    /// <param name="runFolder">The run folder.</param>
    /// <param name="report">The finished run's report.</param>
    /// <returns>The paths of every file written.</returns>
    /// <exception cref="ArgumentException"><paramref name="runFolder"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The report is incomplete (see <see cref="SoftRunReport.RequiredMetrics"/>).</exception>
    public static IReadOnlyList<string> Write(string runFolder, SoftRunReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(runFolder);
        ArgumentNullException.ThrowIfNull(report);
        // Serialise first: an incomplete report fails before any file is touched.
        string json = report.ToJson();
        var written = new List<string>(ReportPlots.WriteAll(runFolder, report))
        {
            ReportMarkdown.Write(runFolder, report),
        };
        string jsonPath = Path.Combine(runFolder, SoftRunReport.FileName);
        Soft.IO.AtomicFile.WriteAllText(jsonPath, json);
        written.Add(jsonPath);
        written.AddRange(TensorBoardLogger.Write(Path.Combine(runFolder, TensorBoardLogger.FolderName), report));
        return written;
    }
}
