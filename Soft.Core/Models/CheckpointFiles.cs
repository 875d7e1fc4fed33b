using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Finds and reads the weights of a Hugging Face model folder: <c>model.safetensors</c>, a sharded
/// <c>model.safetensors.index.json</c>, or (only on request) a pickled <c>pytorch_model.bin</c>.
/// </summary>
internal static class CheckpointFiles
{
    public const string Single = "model.safetensors";
    public const string Index = "model.safetensors.index.json";
    public const string Pickled = "pytorch_model.bin";
    public const string PickledIndex = "pytorch_model.bin.index.json";

    /// <summary>Every tensor of the folder's checkpoint, on the CPU, in the stored dtype.</summary>
    /// <exception cref="FileNotFoundException">No checkpoint, or a shard named by the index, is missing.</exception>
    /// <exception cref="InvalidDataException">A pickled checkpoint without opt-in, or a malformed file.</exception>
    public static Dictionary<string, Tensor> Read(string folder, bool allowPickled)
    {
        string single = Path.Combine(folder, Single);
        if (File.Exists(single))
            return SafetensorsFile.Read(single);
        string index = Path.Combine(folder, Index);
        if (File.Exists(index))
            return ReadSharded(folder, index, SafetensorsFile.Read);

        string pickled = Path.Combine(folder, Pickled);
        string pickledIndex = Path.Combine(folder, PickledIndex);
        string? found = File.Exists(pickled) ? pickled : File.Exists(pickledIndex) ? pickledIndex : null;
        if (found is null)
            throw new FileNotFoundException($"No weights in {folder}: expected {Single} or {Index}.", single);
        if (!allowPickled)
            throw new InvalidDataException(
                $"{found} is a pickled PyTorch checkpoint, which can run code when loaded. Convert it to safetensors, " +
                $"or set ModelLoadOptions.{nameof(ModelLoadOptions.AllowPickledCheckpoints)} = true if you trust its source.");
        return found == pickled ? ReadPickled(pickled) : ReadSharded(folder, pickledIndex, ReadPickled);
    }

    private static Dictionary<string, Tensor> ReadSharded(string folder, string indexPath, Func<string, Dictionary<string, Tensor>> readShard)
    {
        JsonObject? weightMap;
        try
        {
            weightMap = JsonNode.Parse(File.ReadAllText(indexPath))?["weight_map"]?.AsObject();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath}: not valid JSON ({e.Message}).", e);
        }
        if (weightMap is null)
            throw new InvalidDataException($"{indexPath}: no 'weight_map'.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string shard in weightMap.Select(kv => kv.Value!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal))
        {
            string shardPath = Path.Combine(folder, shard);
            if (!File.Exists(shardPath))
                throw new FileNotFoundException($"{indexPath} names shard {shard}, which does not exist.", shardPath);
            foreach (var (name, tensor) in readShard(shardPath))
            {
                if (!result.TryAdd(name, tensor))
                    throw new InvalidDataException($"Tensor '{name}' appears in more than one shard ({shardPath}).");
            }
        }
        return result;
    }

    private static Dictionary<string, Tensor> ReadPickled(string path)
    {
        var table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in table)
        {
            if (entry.Value is Tensor tensor)
                result[(string)entry.Key] = tensor;
        }
        return result;
    }
}
