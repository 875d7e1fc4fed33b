using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Soft.IO;

/// <summary>
/// The front of a safetensors file: an 8-byte little-endian header length, then the JSON header (tensor name →
/// dtype, shape, data_offsets) padded with spaces to a multiple of 8 bytes, as Hugging Face's writer does, so that the
/// tensor data that follows is aligned.
/// </summary>
internal static class SafetensorsHeader
{
    public static void Write(Stream stream, JsonObject header)
    {
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - json.Length % 8) % 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(json.Length + padding));
        stream.Write(prefix);
        stream.Write(json);
        for (int i = 0; i < padding; i++)
            stream.WriteByte((byte)' ');
    }
}
