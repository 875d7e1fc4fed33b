using System.IO.Compression;
using ZstdSharp;

namespace Soft.Data.Text;

/// <summary>
/// Opens a data file as the text it holds, whether it is plain, gzip or Zstandard. The kind is told from the first
/// bytes, not the name: Amazon ships <c>.jsonl.gz</c>, but a download tool may also keep the compressed bytes under the
/// plain name. The file is decompressed as it is read; nothing is unpacked to disk.
/// </summary>
internal static class CompressedInput
{
    /// <summary>The names a data file may carry besides its plain one, in the order they are tried.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".gz", ".zst"];

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>What <paramref name="path"/> holds: "gzip", "zstd" or "plain".</summary>
    public static string KindOf(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return KindOf(Head(stream));
    }

    /// <summary>Opens <paramref name="path"/> for reading, decompressing it when its first bytes say it is compressed.</summary>
    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, FileOptions.SequentialScan);
        string kind = KindOf(Head(file));
        file.Position = 0;
        return kind switch
        {
            "gzip" => new GZipStream(file, CompressionMode.Decompress),
            "zstd" => new DecompressionStream(file),
            _ => file,
        };
    }

    /// <summary>The plain name of a data file: <c>ratings.csv.gz</c> → <c>ratings.csv</c>.</summary>
    public static string PlainName(string fileName) =>
        Extensions.FirstOrDefault(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase)) is { } ext ? fileName[..^ext.Length] : fileName;

    private static byte[] Head(Stream stream)
    {
        var head = new byte[4];
        int read = 0;
        while (read < head.Length && stream.Read(head, read, head.Length - read) is > 0 and var n)
            read += n;
        return head[..read];
    }

    private static string KindOf(ReadOnlySpan<byte> head) =>
        head.StartsWith(GzipMagic) ? "gzip" : head.StartsWith(ZstdMagic) ? "zstd" : "plain";
}
