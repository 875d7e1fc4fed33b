using System.Diagnostics;
using System.Text.Json;
using Soft.Reporting;
using Soft.Runs;

namespace Soft.Pipeline;

/// <summary>
/// Wall time per stage, kept in the run folder so that a resumed run still reports the whole run's times; each
/// finished stage also records the process's peak memory, so that a process killed later does not lose it.
/// </summary>
internal sealed class StageTimings(RunFolder run, RunLifetime lifetime)
{
    /// <summary>File in the run folder that keeps each stage's wall time across resumed runs.</summary>
    public const string FileName = "stage-seconds.json";

    private readonly Dictionary<string, double> _seconds = Load(run);

    public IReadOnlyDictionary<string, double> All => _seconds;

    public T Measure<T>(StageKey stage, Func<T> work)
    {
        var watch = Stopwatch.StartNew();
        var result = work();
        Record(stage.Name, watch.Elapsed.TotalSeconds);
        return result;
    }

    // A stage reused from disk takes ~0 s now; keep the time it took when it really ran.
    private void Record(string stage, double seconds)
    {
        lifetime.RecordPeak(PeakMemory.GetPeakBytes());
        if (_seconds.TryGetValue(stage, out double before) && before > seconds)
            return;
        _seconds[stage] = Math.Round(seconds, 3);
        run.WriteText(FileName, JsonSerializer.Serialize(_seconds, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static Dictionary<string, double> Load(RunFolder run)
    {
        string path = run.PathOf(FileName);
        // A forced fresh run must not inherit the times of the run it replaced.
        return !run.IsNew && File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)) ?? new(StringComparer.Ordinal)
            : new Dictionary<string, double>(StringComparer.Ordinal);
    }
}
