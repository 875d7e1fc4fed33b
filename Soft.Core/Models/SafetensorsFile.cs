using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.IO;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// (name → dtype, shape, data_offsets) and the raw little-endian tensor bytes.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>Every tensor of <paramref name="path"/>, on the CPU, in the file's dtype.</summary>
    /// <exception cref="InvalidDataException">The header is malformed; the message names the file.</exception>
    public static Dictionary<string, Tensor> Read(string path) => Read(path, out _);

    /// <summary>
    /// Every tensor of <paramref name="path"/>, on the CPU, in the file's dtype, and the string entries of the header's
    /// <c>__metadata__</c> (empty when it has none).
    /// </summary>
    /// <exception cref="InvalidDataException">The header is malformed; the message names the file.</exception>
    public static Dictionary<string, Tensor> Read(string path, out Dictionary<string, string> metadata)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Length < 8 || stream.Read(prefix) != 8)
            throw new InvalidDataException($"{path}: too short to be a safetensors file.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > int.MaxValue)
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size.");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new InvalidDataException($"{path}: empty safetensors header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: safetensors header is not valid JSON ({e.Message}).", e);
        }
        long dataStart = 8 + (long)headerLength;
        metadata = ReadMetadata(header, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            ReadTensors(stream, header, dataStart, path, result);
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
        return result;
    }

    private static Dictionary<string, string> ReadMetadata(JsonObject header, string path)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header["__metadata__"] is not JsonObject entries)
            return metadata;
        foreach (var (key, value) in entries)
        {
            if (value is not JsonValue text || !text.TryGetValue(out string? s))
                throw new InvalidDataException($"{path}: metadata entry '{key}' is not a string.");
            metadata[key] = s;
        }
        return metadata;
    }

    private static void ReadTensors(FileStream stream, JsonObject header, long dataStart, string path, Dictionary<string, Tensor> result)
    {
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__" || node is null)
                continue;
            string dtype = node["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: tensor '{name}' has no dtype.");
            long[] shape = node["shape"]?.AsArray().Select(n => n!.GetValue<long>()).ToArray() ?? throw new InvalidDataException($"{path}: tensor '{name}' has no shape.");
            long[] offsets = node["data_offsets"]?.AsArray().Select(n => n!.GetValue<long>()).ToArray() ?? throw new InvalidDataException($"{path}: tensor '{name}' has no data_offsets.");
            var type = ToScalarType(dtype, path, name);
            var tensor = empty(shape, dtype: type);
            long expected = tensor.NumberOfElements * tensor.ElementSize;
            if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > stream.Length)
                throw new InvalidDataException($"{path}: tensor '{name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit shape [{string.Join(", ", shape)}] of {dtype}.");
            var bytes = new byte[expected];
            stream.Position = dataStart + offsets[0];
            stream.ReadExactly(bytes);
            tensor.bytes = bytes;
            result.Add(name, tensor);
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> sorted by name, with <c>{"format":"pt"}</c> metadata and the header padded to
    /// 8 bytes, as Hugging Face's writer does. The file is created or truncated.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensors);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="stream"/> as <see cref="Write(string, IEnumerable{ValueTuple{string, Tensor}})"/>
    /// does, with <paramref name="metadata"/> added to the <c>__metadata__</c> entry beside <c>{"format":"pt"}</c>.
    /// </summary>
    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var entries = new JsonObject { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            entries[key] = value;
        var header = new JsonObject { ["__metadata__"] = entries };
        long offset = 0;
        foreach (var (name, value) in ordered)
        {
            long length = value.NumberOfElements * value.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = ToSafetensorsName(value.dtype, name),
                ["shape"] = new JsonArray(value.shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + length)),
            };
            offset += length;
        }
        SafetensorsHeader.Write(stream, header);
        foreach (var (_, value) in ordered)
        {
            using var cpu = value.detach().cpu().contiguous();
            stream.Write(cpu.bytes);
        }
    }

    private static ScalarType ToScalarType(string dtype, string path, string name) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype '{dtype}'."),
    };

    private static string ToSafetensorsName(ScalarType type, string name) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"Tensor '{name}' has dtype {type}, which safetensors cannot store."),
    };
}
