using System.Globalization;
using TorchSharp;

namespace Soft.Reporting;

/// <summary>
/// Writes a report's per-epoch scalars as TensorBoard event files under <c>tensorboard/</c>: one subfolder per
/// method, so that TensorBoard draws the methods as separate runs on the same charts.
/// </summary>
/// <remarks>
/// <para>Tags, each with the epoch as step: <c>loss/train</c>, <c>loss/real</c>, <c>loss/distilled</c>,
/// <c>curriculum/lambda</c>, <c>curriculum/distance</c> (d_0 at step 0 when it was measured) and
/// <c>validation/&lt;metric&gt;</c> for every validation metric (HR@10, NDCG@10, …) from
/// <see cref="SoftRunReport.Training"/>. Missing values (no distilled loss for SFT, no distance) are not written.</para>
/// <para>Each run's event file is written by TorchSharp's <c>SummaryWriter</c> into a temporary folder and
/// renamed into place when complete, replacing the run's earlier event files, so a rerun shows one curve and a
/// crash leaves no half-written file where TensorBoard looks.</para>
/// </remarks>
public static class TensorBoardLogger
{
    /// <summary>The folder, relative to the run folder, that holds the event files.</summary>
    public const string FolderName = "tensorboard";

    private const string EventFilePrefix = "events.out.tfevents.";

    /// <summary>Writes the scalars of <paramref name="report"/> under <paramref name="logDirectory"/>.</summary>
    /// <param name="logDirectory">The TensorBoard log folder, usually <see cref="FolderName"/> inside the run folder.</param>
    /// <param name="report">The report whose methods' training is written.</param>
    /// <returns>The paths of the event files written, one per run.</returns>
    /// <exception cref="ArgumentException"><paramref name="logDirectory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public static IReadOnlyList<string> Write(string logDirectory, SoftRunReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        ArgumentNullException.ThrowIfNull(report);
        string root = Path.GetFullPath(logDirectory);
        Directory.CreateDirectory(root);
        DeleteAbandonedTemporaryFolders(root);

        var written = new List<string>();
        foreach (var (method, training) in report.Training)
            written.Add(WriteRun(root, method, MethodScalars(training)));
        return written;
    }

    /// <summary>
    /// Writes one method's training as the run <see cref="RunFolderName"/>(<paramref name="method"/>), replacing
    /// that run's earlier event files: a trainer can call it as soon as a method finishes, before the report exists.
    /// </summary>
    /// <param name="logDirectory">The TensorBoard log folder, usually <see cref="FolderName"/> inside the run folder.</param>
    /// <param name="method">The method's name, for example <c>"SOFT"</c>.</param>
    /// <param name="training">The method's training: d_0 and its per-epoch records.</param>
    /// <returns>The path of the event file written.</returns>
    /// <exception cref="ArgumentException"><paramref name="logDirectory"/> or <paramref name="method"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is null.</exception>
    public static string WriteMethod(string logDirectory, string method, MethodTraining training)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(training);
        string root = Path.GetFullPath(logDirectory);
        Directory.CreateDirectory(root);
        DeleteAbandonedTemporaryFolders(root);
        return WriteRun(root, method, MethodScalars(training));
    }

    /// <summary>The subfolder name of a run: the method name with characters that are unsafe in file names replaced by '_'.</summary>
    /// <param name="method">A method name such as <c>"Guidance-only"</c>.</param>
    /// <returns>A name that is a single path segment.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty.</exception>
    public static string RunFolderName(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        char[] invalid = Path.GetInvalidFileNameChars();
        string name = new(method.Select(c => invalid.Contains(c) || c == '\\' || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        // "." and ".." would escape the folder.
        return name.Trim('.').Length == 0 ? "_" + name : name;
    }

    private static List<(string Tag, int Step, double Value)> MethodScalars(MethodTraining training)
    {
        var scalars = new List<(string Tag, int Step, double Value)>();
        if (training.InitialDistance is { } d0)
            scalars.Add(("curriculum/distance", 0, d0));
        foreach (var entry in training.EpochRecords)
        {
            scalars.Add(("loss/train", entry.Epoch, entry.CombinedLoss));
            if (entry.RealLoss is { } real)
                scalars.Add(("loss/real", entry.Epoch, real));
            if (entry.DistilledLoss is { } distilled)
                scalars.Add(("loss/distilled", entry.Epoch, distilled));
            scalars.Add(("curriculum/lambda", entry.Epoch, entry.Lambda));
            if (entry.Distance is { } distance)
                scalars.Add(("curriculum/distance", entry.Epoch, distance));
            foreach (var (metric, value) in entry.Validation)
                scalars.Add(("validation/" + metric, entry.Epoch, value));
        }
        return scalars;
    }

    private static string WriteRun(string root, string run, List<(string Tag, int Step, double Value)> scalars)
    {
        string target = Path.Combine(root, RunFolderName(run));
        string temp = AbandonedName(root, RunFolderName(run));
        try
        {
            // One wall time (seconds since the Unix epoch) for the whole run: the epochs ran earlier, and their own times were not recorded.
            long wallTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var writer = torch.utils.tensorboard.SummaryWriter(temp);
            foreach (var (tag, step, value) in scalars)
                writer.add_scalar(tag, (float)value, step, wallTime);

            string produced = Directory.EnumerateFiles(temp, EventFilePrefix + "*").Single();
            Directory.CreateDirectory(target);
            foreach (string old in Directory.EnumerateFiles(target, EventFilePrefix + "*"))
                File.Delete(old);
            string final = Path.Combine(target, Path.GetFileName(produced));
            File.Move(produced, final);
            return final;
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }
    }

    private static string AbandonedName(string root, string run) =>
        Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $".{run}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));

    // A process killed while writing leaves ".<run>.<pid>.<guid>.tmp" folders; TensorBoard would show them as runs.
    private static void DeleteAbandonedTemporaryFolders(string root)
    {
        foreach (string folder in Directory.EnumerateDirectories(root, ".*.tmp"))
            Directory.Delete(folder, recursive: true);
    }
}
