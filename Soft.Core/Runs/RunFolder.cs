using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Soft.IO;

namespace Soft.Runs;

/// <summary>
/// The folder a run writes every artifact into. It keeps <c>manifest.json</c> (the configuration's hash and
/// the finished stages with checksums) so that a rerun skips finished work, refuses to mix configurations,
/// and never writes outside the folder.
/// </summary>
public sealed class RunFolder
{
    /// <summary>File name of the manifest inside the run folder.</summary>
    public const string ManifestFileName = Serving.RunManifestView.FileName;

    /// <summary>File name of the resolved configuration inside the run folder.</summary>
    public const string ConfigFileName = Serving.RunManifestView.ConfigFileName;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly RunManifest _manifest;

    private RunFolder(string root, RunManifest manifest, bool isNew)
    {
        Root = root;
        _manifest = manifest;
        IsNew = isNew;
    }

    /// <summary>
    /// True when this <see cref="Open(string, string, bool)"/> started the run: the folder held no manifest, or a fresh run was forced. Files
    /// that carry facts across resumed processes (stage times, the start time) are ignored then.
    /// </summary>
    public bool IsNew { get; }

    /// <summary>
    /// True when the folder held a run of a configuration this one only adds to, and it was taken over with its
    /// finished stages (<see cref="Open(string, string, bool, Func{string, bool})"/>).
    /// </summary>
    internal bool Extended { get; private init; }

    /// <summary>Absolute path of the run folder.</summary>
    public string Root { get; }

    /// <summary>SHA-256 of the configuration this run belongs to.</summary>
    public string ConfigHash => _manifest.ConfigHash;

    /// <summary>Names of the finished stages, in the order they were recorded.</summary>
    public IReadOnlyCollection<string> CompletedStages => _manifest.Stages.Keys;

    /// <summary>
    /// Opens (or creates) the run folder at <paramref name="root"/> for the configuration <paramref name="configJson"/>.
    /// A folder that holds a run of another configuration is refused, naming the settings that differ, unless
    /// <paramref name="forceFresh"/> is set, in which case its manifest is reset and every stage will run again. A run
    /// that finished no stage is no configuration to protect: it is replaced as if forced.
    /// </summary>
    /// <exception cref="RunConfigMismatchException">The folder's finished stages belong to a different configuration.</exception>
    /// <exception cref="InvalidDataException">The manifest exists but cannot be read.</exception>
    /// <exception cref="RunFolderUnusableException">The folder is a file, cannot be written, or the disk is full.</exception>
    public static RunFolder Open(string root, string configJson, bool forceFresh = false) => Open(root, configJson, forceFresh, extends: null);

    /// <summary>
    /// <see cref="Open(string, string, bool)"/>, where a folder of another configuration is taken over, its finished
    /// stages kept, when <paramref name="extends"/> says that this configuration only adds to the folder's
    /// (<c>config.json</c> there is its argument): then <see cref="Extended"/> is true.
    /// </summary>
    internal static RunFolder Open(string root, string configJson, bool forceFresh, Func<string, bool>? extends)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(configJson);
        RunFolderErrors.ThrowIfNotAFolder(root);
        try
        {
            return OpenCore(root, configJson, forceFresh, extends);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && RunFolderErrors.Translate(e, root) is { } specific)
        {
            throw specific;
        }
    }

    private static RunFolder OpenCore(string root, string configJson, bool forceFresh, Func<string, bool>? extends)
    {
        string full = Path.GetFullPath(root);
        Directory.CreateDirectory(full);
        string hash = Sha256Hex(Encoding.UTF8.GetBytes(configJson.ReplaceLineEndings("\n")));
        string manifestPath = Path.Combine(full, ManifestFileName);

        RunManifest manifest;
        bool isNew = !File.Exists(manifestPath) || forceFresh, extended = false;
        if (!isNew)
        {
            manifest = ReadManifest(manifestPath);
            if (manifest.FormatVersion != RunManifest.CurrentFormatVersion)
            {
                string age = manifest.FormatVersion < RunManifest.CurrentFormatVersion ? "an older" : "a newer";
                throw new RunConfigMismatchException(
                    $"{full} holds a run in {age} run-folder layout (format {manifest.FormatVersion}; this version of Soft reads format {RunManifest.CurrentFormatVersion}). " +
                    "Use another folder, or force a fresh run to discard its stages.");
            }
            if (manifest.ConfigHash != hash && manifest.Stages.Count > 0)
            {
                string oldPath = Path.Combine(full, ConfigFileName);
                string? oldConfig = File.Exists(oldPath) ? File.ReadAllText(oldPath) : null;
                if (oldConfig is null || extends?.Invoke(oldConfig) != true)
                    throw Mismatch(full, manifest, hash, configJson, oldConfig);
                manifest.ConfigHash = hash;
                extended = true;
            }
            // A run that finished no stage (it failed at the model, say) holds nothing to protect: its rerun replaces it.
            if (manifest.ConfigHash != hash)
                (manifest, isNew) = (new RunManifest { ConfigHash = hash }, true);
        }
        else
        {
            manifest = new RunManifest { ConfigHash = hash };
        }

        var folder = new RunFolder(full, manifest, isNew) { Extended = extended };
        folder.DeleteTemporaryFiles();
        folder.WriteText(ConfigFileName, configJson);
        folder.SaveManifest();
        return folder;
    }

    private static RunConfigMismatchException Mismatch(string full, RunManifest manifest, string hash, string configJson, string? oldConfig)
    {
        var differences = oldConfig is null ? [] : RunConfigDiff.Between(oldConfig, configJson);
        const int Shown = 8;
        string what = differences.Count == 0
            ? $"with configuration {manifest.ConfigHash[..12]}…, but this run's configuration is {hash[..12]}… (see {ConfigFileName} there for the old settings)"
            : $"of another configuration; the settings that differ ({ConfigFileName} there → this run): {string.Join("; ", differences.Take(Shown))}{(differences.Count > Shown ? $"; and {differences.Count - Shown} more" : "")}";
        string stages = manifest.Stages.Count == 1 ? "1 finished stage" : $"{manifest.Stages.Count} finished stages";
        return new RunConfigMismatchException(
            $"{full} holds a run {what}. Use another folder, or force a fresh run (forceFresh) to discard its {stages}.",
            full, manifest.Stages.Count, differences);
    }

    /// <summary>
    /// The absolute path of <paramref name="relativePath"/> inside the run folder.
    /// </summary>
    /// <exception cref="ArgumentException">The path is rooted or climbs out of the run folder.</exception>
    public string PathOf(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (Path.IsPathRooted(relativePath))
            throw new ArgumentException($"'{relativePath}' is an absolute path; run artifacts are named relative to {Root}.", nameof(relativePath));
        string full = Path.GetFullPath(Path.Combine(Root, relativePath));
        string rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw new ArgumentException($"'{relativePath}' points outside the run folder {Root}.", nameof(relativePath));
        return full;
    }

    /// <summary>Writes UTF-8 text to <paramref name="relativePath"/> atomically.</summary>
    public string WriteText(string relativePath, string text)
    {
        string path = PathOf(relativePath);
        AtomicFile.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes <paramref name="relativePath"/> atomically by filling a stream.</summary>
    public string Write(string relativePath, Action<Stream> write)
    {
        string path = PathOf(relativePath);
        AtomicFile.Write(path, write);
        return path;
    }

    /// <summary>
    /// True when <paramref name="stage"/> finished in this run and every file it recorded is still there with
    /// the same checksum; a stage whose files were damaged or deleted counts as not done.
    /// </summary>
    public bool IsComplete(string stage)
    {
        if (!_manifest.Stages.TryGetValue(stage, out var record))
            return false;
        foreach (var (relative, sha) in record.Files)
        {
            string path = PathOf(relative);
            if (!File.Exists(path) || !string.Equals(Sha256OfFile(path), sha, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>The record of a finished stage, or null.</summary>
    internal StageRecord? GetStage(string stage) => _manifest.Stages.GetValueOrDefault(stage);

    /// <summary>
    /// Records <paramref name="stage"/> as finished with the files it wrote (relative paths; checksummed now)
    /// and optional facts, and saves the manifest atomically.
    /// </summary>
    /// <exception cref="FileNotFoundException">A listed file does not exist.</exception>
    public void Complete(string stage, IEnumerable<string> files, IReadOnlyDictionary<string, string>? info = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(files);
        var record = new StageRecord { CompletedAt = DateTimeOffset.UtcNow };
        foreach (string relative in files)
        {
            string path = PathOf(relative);
            if (!File.Exists(path))
                throw new FileNotFoundException($"Stage '{stage}' lists {relative}, which does not exist in {Root}.", path);
            record.Files[relative.Replace('\\', '/')] = Sha256OfFile(path);
        }
        if (info is not null)
        {
            foreach (var (key, value) in info)
                record.Info[key] = value;
        }
        _manifest.Stages[stage] = record;
        SaveManifest();
    }

    /// <summary>Forgets <paramref name="stage"/> (and, when <paramref name="withPrefix"/> is set, every stage whose name starts with it), so it runs again.</summary>
    public void Invalidate(string stage, bool withPrefix = false)
    {
        foreach (string name in _manifest.Stages.Keys.Where(k => k == stage || (withPrefix && k.StartsWith(stage, StringComparison.Ordinal))).ToList())
            _manifest.Stages.Remove(name);
        SaveManifest();
    }

    /// <summary>SHA-256 of a file as lower-case hex.</summary>
    public static string Sha256OfFile(string path) => Sha256File.Of(path, CancellationToken.None);

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static RunManifest ReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: the manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the manifest is not valid JSON ({e.Message}). Delete it, or force a fresh run.", e);
        }
    }

    private void SaveManifest() =>
        AtomicFile.WriteAllText(Path.Combine(Root, ManifestFileName), JsonSerializer.Serialize(_manifest, JsonOptions));

    // A process killed mid-write leaves "<name>.<pid>.<guid>.tmp" files behind; they are never artifacts.
    private void DeleteTemporaryFiles()
    {
        foreach (string temp in Directory.EnumerateFiles(Root, "*.tmp", SearchOption.AllDirectories))
            File.Delete(temp);
    }
}
