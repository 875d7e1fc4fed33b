using System.Text.Json;

namespace Soft.Serving;

/// <summary>
/// A run folder's <c>manifest.json</c> as serving reads it: the configuration hash and, per finished stage, the files
/// it recorded with their SHA-256. The run's own type (<c>RunManifest</c>) belongs to the run folder's bookkeeping
/// (locks, configuration diffs, invalidation), which a server never needs; this reads the same file, written with
/// the serializer's defaults, and only the fields serving uses.
/// </summary>
internal sealed class RunManifestView
{
    /// <summary>The run manifest's file name; the one spelling, which <c>RunFolder.ManifestFileName</c> takes.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The run configuration's file name, which <c>RunFolder.ConfigFileName</c> takes: every run folder has one, a bundle never.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>SHA-256 of the configuration the run was started with.</summary>
    public string ConfigHash { get; init; } = "";

    /// <summary>Finished stages by name (<c>soft</c>, <c>sft/epoch-2</c>).</summary>
    public Dictionary<string, RecordedStage> Stages { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Reads the manifest of <paramref name="runFolder"/>; null when it has none (a run that finished no stage yet).</summary>
    /// <exception cref="InvalidDataException">The manifest is not valid JSON.</exception>
    public static RunManifestView? Read(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<RunManifestView>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the run's manifest is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>One finished stage: the files it wrote, relative to the run folder, with their SHA-256 (lower-case hex).</summary>
    internal sealed class RecordedStage
    {
        public Dictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);
    }
}
