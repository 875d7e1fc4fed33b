using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Data;
using Soft.IO;
using Soft.Models;
using Soft.Models.Lora;

namespace Soft.Serving;

/// <summary>
/// Writes a bundle (<see cref="BundleManifest"/>) of one method of a finished run: copies of exactly the files the
/// loader reads, built in a staging folder beside the target and moved into place only when complete.
/// </summary>
/// <remarks>
/// A LoRA method keeps its base model and PEFT adapter as two folders rather than folding the adapter into the weights:
/// the bundle then computes exactly what the run computed (a merged weight rounds differently, which can swap near
/// ties), it stays loadable by PEFT as it is, and exporting needs no model in memory, only file copies.
/// </remarks>
internal static class BundleExporter
{
    // What TorchLanguageModel.Load reads from a model folder besides the weights; nothing else is copied (README files,
    // pickled duplicates of the weights, other frameworks' checkpoints would only make the bundle bigger).
    private static readonly string[] ModelFiles = ["config.json", "generation_config.json", .. HfTokenizer.Files];

    public static BundleManifest Export(string runFolder, string method, string bundleFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleFolder);
        cancellationToken.ThrowIfCancellationRequested();
        if (BundleManifest.IsBundle(runFolder))
            throw new ArgumentException($"{runFolder} is already a bundle; copy it as it is, or export from the run folder it came from.", nameof(runFolder));
        var serving = ServingManifest.Read(runFolder);
        var served = serving.Methods.FirstOrDefault(m => string.Equals(m.Name, method, StringComparison.Ordinal))
            ?? throw new ArgumentException($"The run in {runFolder} has no method '{method}'; it has: {string.Join(", ", serving.Methods.Select(m => $"'{m.Name}'"))}.", nameof(method));
        var (modelFolder, adapterFolder) = SoftRecommender.Folders(runFolder, serving, served);
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundleFolder));
        if (File.Exists(target))
            throw new IOException($"{target} is a file; a bundle is a folder. Choose another path.");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"{target} already exists and is not empty; export into a new or empty folder (delete the old bundle first to replace it).");

        var recorded = RecordedChecksums(runFolder);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        StagedFolder.Build(target, staging =>
        {
            void Copy(string source, string relative)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string destination = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                string sha = Sha256File.Copy(source, destination, cancellationToken);
                // A run records what each stage wrote; a copy that differs means the run folder was changed or damaged since.
                if (recorded.TryGetValue(Path.GetFullPath(source), out var record) && !string.Equals(record.Sha, sha, StringComparison.Ordinal))
                    throw new InvalidDataException($"{source} differs from what the run recorded when its stage '{record.Stage}' finished: the run folder was changed or damaged. Rerun that stage ('--rerun'), then export again.");
                files[relative] = sha;
            }

            foreach (string file in WeightFiles(modelFolder))
                Copy(file, $"{BundleManifest.ModelFolder}/{Path.GetFileName(file)}");
            if (adapterFolder is not null)
            {
                foreach (string name in new[] { LoraAdapter.ConfigFileName, LoraAdapter.WeightsFileName })
                {
                    string file = Path.Combine(adapterFolder, name);
                    if (!File.Exists(file))
                        throw new FileNotFoundException($"The method '{served.Name}' has no {name} in its adapter folder {adapterFolder}.", file);
                    Copy(file, $"{BundleManifest.AdapterFolder}/{name}");
                }
            }
            Copy(Path.Combine(runFolder, CatalogFile.FileName), CatalogFile.FileName);
            Write(staging, ServingManifest.FileName, serving.ForBundle(served, BundleManifest.ModelFolder, BundleManifest.AdapterFolder).ToJson(), files);
            cancellationToken.ThrowIfCancellationRequested();
            var manifest = new BundleManifest
            {
                Method = served.Name,
                Adapter = served.Adapter,
                SoftVersion = Version(typeof(SoftRecommender).Assembly),
                TorchSharpVersion = Version(typeof(TorchSharp.torch).Assembly),
                RunConfigHash = RunManifestView.Read(runFolder)?.ConfigHash,
                Files = files,
            };
            AtomicFile.WriteAllText(Path.Combine(staging, BundleManifest.FileName), manifest.ToJson());
        });
        return BundleManifest.Read(target);
    }

    private static void Write(string staging, string relative, string text, SortedDictionary<string, string> files)
    {
        string path = Path.Combine(staging, relative);
        AtomicFile.WriteAllText(path, text);
        files[relative] = Sha256File.Of(path, CancellationToken.None);
    }

    // The files of a Hugging Face model folder that the loader reads: config, tokenizer, generation config, and the
    // safetensors weights (one file, or an index and the shards it names). Pickled weights are never served.
    private static List<string> WeightFiles(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        var files = ModelFiles.Select(name => Path.Combine(folder, name)).Where(File.Exists).ToList();
        if (!File.Exists(Path.Combine(folder, "config.json")))
            throw new FileNotFoundException($"{folder} has no config.json: not a Hugging Face model folder.", Path.Combine(folder, "config.json"));
        string single = Path.Combine(folder, CheckpointFiles.Single);
        string index = Path.Combine(folder, CheckpointFiles.Index);
        if (File.Exists(single))
        {
            files.Add(single);
        }
        else if (File.Exists(index))
        {
            files.Add(index);
            files.AddRange(Shards(index).Select(shard => Path.Combine(folder, shard)));
        }
        else
        {
            throw new FileNotFoundException($"{folder} has no {CheckpointFiles.Single} or {CheckpointFiles.Index}; a bundle holds safetensors weights only.", single);
        }
        return files;
    }

    private static IEnumerable<string> Shards(string index)
    {
        JsonObject? map;
        try
        {
            map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON ({e.Message}).", e);
        }
        if (map is null)
            throw new InvalidDataException($"{index}: no \"weight_map\" object.");
        var shards = map.Select(kv => kv.Value?.GetValueKind() == JsonValueKind.String ? kv.Value.GetValue<string>() : null).Distinct(StringComparer.Ordinal).ToList();
        if (shards.Any(s => s is null || s.Length == 0 || s != Path.GetFileName(s)))
            throw new InvalidDataException($"{index}: every \"weight_map\" value must be a file name in the model folder.");
        return shards!;
    }

    // Every file a finished stage recorded, by absolute path, with its checksum and the stage.
    private static Dictionary<string, (string Sha, string Stage)> RecordedChecksums(string runFolder)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var manifest = RunManifestView.Read(runFolder);
        if (manifest is null)
            return result;
        foreach (var (stage, record) in manifest.Stages)
        {
            foreach (var (relative, sha) in record.Files)
                result[Path.GetFullPath(Path.Combine(runFolder, relative))] = (sha, stage);
        }
        return result;
    }

    private static string? Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
}
