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
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException($"{path}: the safetensors header is not a JSON object.");
            // JsonObject reads its properties lazily; counting them here makes a duplicate name fail inside this try.
            _ = header.Count;
        }
        // A duplicate tensor name surfaces as ArgumentException from JsonObject.
        catch (Exception e) when (e is JsonException or ArgumentException)
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
        long dataLength = stream.Length - dataStart;
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__" || node is null)
                continue;
            // Every size is checked against the file before anything is allocated, so a corrupt header is an
            // error naming the tensor, not an out-of-memory crash or bytes read from the wrong place.
            var entry = Entry.Parse(node, path, name);
            var type = ToScalarType(entry.DType, path, name);
            long expected = ByteCount(entry.Shape, type, path, name);
            long begin = entry.Offsets[0], end = entry.Offsets[1];
            if (begin < 0 || end < begin || end - begin != expected || end > dataLength)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{name}' has data_offsets [{begin}, {end}], but shape [{string.Join(", ", entry.Shape)}] of {entry.DType} " +
                    $"needs {expected} bytes within the {dataLength} data bytes of the file (truncated or corrupt).");
            }
            var bytes = new byte[expected];
            stream.Position = dataStart + begin;
            stream.ReadExactly(bytes);
            var tensor = empty(entry.Shape, dtype: type);
            tensor.bytes = bytes;
            result.Add(name, tensor);
        }
    }

    // The byte size of a tensor, refusing negative dimensions and sizes that overflow.
    private static long ByteCount(long[] shape, ScalarType type, string path, string name)
    {
        long size = type switch
        {
            ScalarType.Float64 or ScalarType.Int64 => 8,
            ScalarType.Float32 or ScalarType.Int32 => 4,
            ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
            _ => 1,
        };
        try
        {
            foreach (long dim in shape)
            {
                if (dim < 0)
                    throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].");
                size = checked(size * dim);
            }
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(", ", shape)}], too large for any file.", e);
        }
        return size;
    }

    /// <summary>One header entry: dtype, shape and data offsets, with every field checked for presence and type.</summary>
    private sealed record Entry(string DType, long[] Shape, long[] Offsets)
    {
        public static Entry Parse(JsonNode node, string path, string name)
        {
            if (node is not JsonObject entry)
                throw new InvalidDataException($"{path}: tensor '{name}' is not a JSON object in the safetensors header.");
            string dtype = entry["dtype"] is JsonValue d && d.TryGetValue(out string? text) ? text
                : throw new InvalidDataException($"{path}: tensor '{name}' has no dtype string.");
            long[] shape = Integers(entry, "shape", path, name);
            long[] offsets = Integers(entry, "data_offsets", path, name);
            if (offsets.Length != 2)
                throw new InvalidDataException($"{path}: tensor '{name}' has {offsets.Length} data_offsets; expected [begin, end].");
            return new Entry(dtype, shape, offsets);
        }

        private static long[] Integers(JsonObject entry, string field, string path, string name)
        {
            if (entry[field] is not JsonArray array)
                throw new InvalidDataException($"{path}: tensor '{name}' has no {field} array.");
            var values = new long[array.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (array[i] is not JsonValue value || !value.TryGetValue(out long number))
                    throw new InvalidDataException($"{path}: tensor '{name}' has {field}[{i}] = {array[i]?.ToJsonString() ?? "null"}, not an integer.");
                values[i] = number;
            }
            return values;
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
