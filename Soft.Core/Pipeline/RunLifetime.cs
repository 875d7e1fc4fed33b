using System.Text.Json;
using Soft.Runs;

namespace Soft.Pipeline;

/// <summary>
/// When a run first started and the highest peak memory any of its processes reached, kept in the run folder
/// (<see cref="FileName"/>) so that the report of a run resumed after a crash describes the whole run, not only its
/// last process. A new run folder (or a forced fresh run) starts a new record.
/// </summary>
internal sealed class RunLifetime
{
    /// <summary>File in the run folder that holds the record.</summary>
    public const string FileName = "run-lifetime.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly RunFolder _run;
    private readonly Record _record;

    private RunLifetime(RunFolder run, Record record)
    {
        _run = run;
        _record = record;
    }

    /// <summary>When the first process of the run started.</summary>
    public DateTimeOffset StartedAt => _record.StartedAt;

    /// <summary>The highest peak resident memory recorded so far, in bytes; null before the first record.</summary>
    public long? PeakMemoryBytes => _record.PeakMemoryBytes;

    /// <summary>
    /// Reads the record of <paramref name="run"/>, or starts one at <paramref name="now"/> (and saves it at once, so
    /// that a process killed before its first stage still leaves the start time behind).
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid record; the message names it.</exception>
    public static RunLifetime Open(RunFolder run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = run.PathOf(FileName);
        if (!run.IsNew && File.Exists(path))
            return new RunLifetime(run, Read(path));
        var lifetime = new RunLifetime(run, new Record { StartedAt = now });
        lifetime.Save();
        return lifetime;
    }

    /// <summary>Raises the recorded peak to <paramref name="peakBytes"/> when that is higher, and saves it.</summary>
    /// <returns>The peak of the whole run so far.</returns>
    public long RecordPeak(long peakBytes)
    {
        if (_record.PeakMemoryBytes is not long before || peakBytes > before)
        {
            _record.PeakMemoryBytes = peakBytes;
            Save();
        }
        return _record.PeakMemoryBytes.Value;
    }

    private void Save() => _run.WriteText(FileName, JsonSerializer.Serialize(_record, Json));

    private static Record Read(string path)
    {
        try
        {
            var record = JsonSerializer.Deserialize<Record>(File.ReadAllText(path));
            if (record is null || record.StartedAt == default)
                throw new InvalidDataException($"{path}: field 'StartedAt' is missing; delete the file to start the record again.");
            if (record.PeakMemoryBytes is < 0)
                throw new InvalidDataException($"{path}: field 'PeakMemoryBytes' is negative ({record.PeakMemoryBytes}).");
            return record;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid run record ({e.Message}); delete the file to start the record again.", e);
        }
    }

    private sealed class Record
    {
        public DateTimeOffset StartedAt { get; set; }

        public long? PeakMemoryBytes { get; set; }
    }
}
