using System.Text;
using Soft.IO;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Soft.Models.Lora;

/// <summary>
/// Reads and writes an adapter folder in PEFT's layout: <c>adapter_config.json</c> and
/// <c>adapter_model.safetensors</c> with keys <c>base_model.model.&lt;module path&gt;.lora_A.weight</c> and
/// <c>.lora_B.weight</c>, and for trainable token rows
/// <c>base_model.model.&lt;module path&gt;.token_adapter.trainable_tokens_delta</c>.
/// </summary>
/// <remarks>
/// The token keys are those PEFT's <c>get_peft_model_state_dict</c> (<c>src/peft/utils/save_and_load.py</c>) writes
/// for a <c>TrainableTokensWrapper</c> (<c>src/peft/utils/other.py</c>, <c>adapter_state_dict</c>): the wrapper's
/// path, <c>token_adapter.trainable_tokens_delta</c>, and the adapter name removed. A tied head has no key of its
/// own; PEFT re-ties it to the embedding's rows when loading.
/// </remarks>
internal static class PeftAdapterFiles
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";

    // PeftModel wraps the base model as base_model (the LoRA tuner), which holds it as model.
    private const string KeyPrefix = "base_model.model.";

    private const int ProblemsShown = 8;

    public static string KeyOf(string modulePath, string matrix) => $"{KeyPrefix}{modulePath}.{matrix}.weight";

    public static void Save(string directory, LoraOptions options, IReadOnlyList<(string Path, LoraLinear Layer)> layers, TrainableTokens? tokens)
    {
        Directory.CreateDirectory(directory);
        using (NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (path, layer) in layers.OrderBy(l => l.Path, StringComparer.Ordinal))
            {
                tensors.Add(KeyOf(path, "lora_A"), Snapshot(layer.LoraA.weight!));
                tensors.Add(KeyOf(path, "lora_B"), Snapshot(layer.LoraB.weight!));
            }

            foreach (var (name, rows) in tokens?.Named() ?? [])
            {
                tensors.Add(KeyPrefix + name, Snapshot(rows));
            }

            foreach (var key in tensors.Keys.Where(k => !Ascii.IsValid(k)))
            {
                // PyBridge writes the header length in characters, which equals bytes only for ASCII.
                throw new NotSupportedException($"Cannot save key '{key}': module names must be ASCII.");
            }

            AtomicFile.Write(Path.Combine(directory, WeightsFileName), stream => Safetensors.SaveStateDict(stream, tensors, leaveOpen: true));
        }

        string json = PeftLoraConfig.From(options, tokens).ToJson();
        AtomicFile.Write(Path.Combine(directory, ConfigFileName), stream => stream.Write(Encoding.UTF8.GetBytes(json)));
    }

    public static PeftLoraConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No PEFT adapter config at '{path}'.", path);
        }

        return PeftLoraConfig.Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Copies the adapter matrices (and trainable token rows) from the folder into <paramref name="layers"/> and
    /// <paramref name="tokens"/> after checking every key and shape.
    /// </summary>
    public static void LoadWeights(string directory, IReadOnlyList<(string Path, LoraLinear Layer)> layers, TrainableTokens? tokens)
    {
        string path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No adapter weights at '{path}'.", path);
        }

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> file;
        try
        {
            file = Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not a readable safetensors file: {e.Message}", e);
        }

        var expected = new List<(string Key, Parameter Target)>();
        foreach (var (modulePath, layer) in layers)
        {
            expected.Add((KeyOf(modulePath, "lora_A"), layer.LoraA.weight!));
            expected.Add((KeyOf(modulePath, "lora_B"), layer.LoraB.weight!));
        }

        foreach (var (name, rows) in tokens?.Named() ?? [])
        {
            expected.Add((KeyPrefix + name, rows));
        }

        var problems = new List<string>();
        var expectedKeys = expected.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(expected.Where(e => !file.ContainsKey(e.Key)).Select(e => $"missing key '{e.Key}'"));
        problems.AddRange(file.Keys.Where(k => !expectedKeys.Contains(k)).Order(StringComparer.Ordinal)
            .Select(k => $"unexpected key '{k}' (no LoRA layer or trainable token rows of this model have that name)"));
        foreach (var (key, target) in expected)
        {
            if (file.TryGetValue(key, out var tensor) && !tensor.shape.SequenceEqual(target.shape))
            {
                problems.Add($"key '{key}' has shape {Shape(tensor.shape)} in the file but {Shape(target.shape)} in the model");
            }
        }

        if (problems.Count > 0)
        {
            string more = problems.Count > ProblemsShown ? $"; and {problems.Count - ProblemsShown} more" : string.Empty;
            throw new InvalidDataException(
                $"Adapter weights '{path}' do not fit the model: {string.Join("; ", problems.Take(ProblemsShown))}{more}.");
        }

        using (no_grad())
        {
            foreach (var (key, target) in expected)
            {
                target.copy_(file[key]);
            }
        }
    }

    private static Tensor Snapshot(Tensor weight) => weight.detach().cpu().contiguous();

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
