using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Data;
using Soft.IO;

namespace Soft.Serving;

/// <summary>
/// The <c>manifest.json</c> of a bundle that <see cref="SoftRecommender.Export"/> wrote: the method it serves, the
/// versions that made it, and the SHA-256 of every other file in it, which <see cref="SoftRecommender.Load"/> checks
/// before it reads anything else.
/// </summary>
/// <remarks>
/// A bundle is a folder that holds exactly <see cref="FileName"/>, <c>serving.json</c> (what serving needs besides
/// weights), <c>catalog.jsonl</c> (the catalogue), <c>model/</c> (a Hugging Face model folder) and, for a LoRA method,
/// <c>adapter/</c> (a PEFT adapter for <c>model/</c>). A run folder also has a <c>manifest.json</c>, but always a
/// <c>config.json</c> beside it, which a bundle never has: that is how <see cref="IsBundle"/> tells them apart.
/// </remarks>
public sealed class BundleManifest
{
    /// <summary>The manifest's file name in a bundle.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "soft-recommender-bundle";

    /// <summary>The layout this version writes and reads; a bundle of a later one is refused.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The bundle's Hugging Face model folder: the method's full weights, or the base model its adapter adapts.</summary>
    public const string ModelFolder = "model";

    /// <summary>The bundle's PEFT adapter folder, present only for a LoRA method.</summary>
    public const string AdapterFolder = "adapter";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>What the file is: always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The layout version of the bundle.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The one method the bundle serves (its report name, <c>SOFT</c>).</summary>
    public required string Method { get; init; }

    /// <summary>True when the bundle holds a PEFT adapter for its base model, false for full weights.</summary>
    public bool Adapter { get; init; }

    /// <summary>The informational version of the Soft.Core that exported it.</summary>
    public string? SoftVersion { get; init; }

    /// <summary>The version of the TorchSharp that Soft.Core ran on when it exported it.</summary>
    public string? TorchSharpVersion { get; init; }

    /// <summary>The configuration hash of the run it came from (the run's <c>manifest.json</c>), for tracing it back.</summary>
    public string? RunConfigHash { get; init; }

    /// <summary>Every file of the bundle but this manifest, by path relative to it with '/' separators, with its SHA-256 (lower-case hex).</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    /// <summary>True when <paramref name="folder"/> holds a bundle's manifest (and not a run folder's).</summary>
    /// <param name="folder">A bundle or run folder.</param>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is null.</exception>
    public static bool IsBundle(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return File.Exists(Path.Combine(folder, FileName)) && !File.Exists(Path.Combine(folder, RunManifestView.ConfigFileName));
    }

    /// <summary>Reads a bundle's manifest, checking its format and version but not yet the files.</summary>
    /// <param name="bundleFolder">The bundle.</param>
    /// <exception cref="ArgumentNullException"><paramref name="bundleFolder"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It has no manifest.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed, not a bundle's, or of a newer format version; the message says which.</exception>
    public static BundleManifest Read(string bundleFolder)
    {
        ArgumentNullException.ThrowIfNull(bundleFolder);
        if (!Directory.Exists(bundleFolder))
            throw new DirectoryNotFoundException($"Bundle folder not found: {bundleFolder}");
        string path = Path.Combine(bundleFolder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{bundleFolder} has no {FileName}: it is not a bundle that SoftRecommender.Export wrote.", path);
        BundleManifest? manifest;
        try
        {
            string text = File.ReadAllText(path);
            // The version first, on the bare JSON: a later layout may not deserialize into this one.
            var root = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path}: the manifest is not a JSON object.");
            if (root["format"]?.GetValueKind() != JsonValueKind.String || root["format"]!.GetValue<string>() != FormatName)
                throw new InvalidDataException($"{path}: not a Soft bundle manifest (\"format\" is not \"{FormatName}\").");
            int version = root["formatVersion"]?.GetValueKind() == JsonValueKind.Number ? root["formatVersion"]!.GetValue<int>() : 0;
            if (version > CurrentFormatVersion)
                throw new InvalidDataException($"{path}: the bundle has format version {version}, written by a newer Soft; this version reads up to {CurrentFormatVersion}. Update Soft to serve it, or export the run again with this version.");
            if (version < 1)
                throw new InvalidDataException($"{path}: \"formatVersion\" must be a whole number from 1.");
            manifest = root.Deserialize<BundleManifest>(Json);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a valid bundle manifest ({e.Message}).", e);
        }
        if (manifest is null || string.IsNullOrWhiteSpace(manifest.Method) || manifest.Files is null)
            throw new InvalidDataException($"{path}: a bundle manifest needs \"method\" and \"files\".");
        foreach (string required in new[] { ServingManifest.FileName, CatalogFile.FileName })
        {
            if (!manifest.Files.ContainsKey(required))
                throw new InvalidDataException($"{path}: the manifest does not list {required}, which every bundle has.");
        }
        return manifest;
    }

    /// <summary>
    /// Reads a bundle's manifest (<see cref="Read"/>) and checks the bundle against it: every listed file is there with
    /// the recorded SHA-256, and no file is there that it does not list.
    /// </summary>
    /// <param name="bundleFolder">The bundle.</param>
    /// <param name="cancellationToken">Stops the check between chunks of a file.</param>
    /// <returns>The manifest of the intact bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bundleFolder"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It has no manifest.</exception>
    /// <exception cref="BundleIntegrityException">A file is missing, changed or not listed; the exception names it.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or of a newer format version.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static BundleManifest Verify(string bundleFolder, CancellationToken cancellationToken = default)
    {
        var manifest = Read(bundleFolder);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundleFolder));
        var listed = new Dictionary<string, (string Path, string Sha)>(StringComparer.Ordinal);
        foreach (var (relative, sha) in manifest.Files)
            listed[relative] = (Resolve(root, relative), sha);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative != FileName && !listed.ContainsKey(relative))
                throw new BundleIntegrityException($"{file}: the bundle's manifest does not list this file. A bundle holds exactly what Export wrote (the loader could read an added file); remove it or export again.", root, relative);
        }
        foreach (var (relative, (path, _)) in listed)
        {
            if (!File.Exists(path))
                throw new BundleIntegrityException($"{path}: the bundle's manifest lists this file, but it is missing. Copy the whole bundle again, or export again.", root, relative);
        }
        foreach (var (relative, (path, sha)) in listed)
        {
            string actual = Sha256File.Of(path, cancellationToken);
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
                throw new BundleIntegrityException($"{path}: the file changed after export (SHA-256 {actual[..12]}…, the manifest records {sha[..Math.Min(12, sha.Length)]}…). Copy the whole bundle again, or export again.", root, relative);
        }
        return manifest;
    }

    /// <summary>The manifest as the file holds it.</summary>
    internal string ToJson() => JsonSerializer.Serialize(this, Json);

    // A listed path must stay inside the bundle: a manifest is input, and "../x" would make the check read elsewhere.
    private static string Resolve(string root, string relative)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\\', StringComparison.Ordinal) || relative == FileName
            || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{Path.Combine(root, FileName)}: \"files\" lists '{relative}', which is not a path inside the bundle (relative, '/' separators, not the manifest itself).");
        return full;
    }
}
