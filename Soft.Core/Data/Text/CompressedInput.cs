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

    /// <summary>How <paramref name="path"/> is compressed: "gzip", "zstd" or "none".</summary>
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
            "gzip" => new CheckedGzip(file, path),
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

    /// <summary>
    /// A <see cref="GZipStream"/> that notices a file cut short: .NET's ends a truncated gzip quietly, as if the data were
    /// complete, and the half line it ends on can even parse. At the end, the count of bytes read must equal the size
    /// the gzip trailer records (modulo 2^32). A file of several gzip members (<c>cat a.gz b.gz</c>) records only its last
    /// member's size and is refused too; the message says so, since recompressing it as one member fixes it.
    /// </summary>
    private sealed class CheckedGzip : Stream
    {
        private readonly FileStream _file;
        private readonly GZipStream _gzip;
        private readonly uint _expected;
        private readonly string _path;
        private ulong _read;

        public CheckedGzip(FileStream file, string path)
        {
            _file = file;
            _path = path;
            var trailer = new byte[4];
            if (file.Length >= 18)
            {
                file.Position = file.Length - 4;
                file.ReadExactly(trailer);
            }
            _expected = BitConverter.ToUInt32(trailer);
            file.Position = 0;
            _gzip = new GZipStream(file, CompressionMode.Decompress);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => (long)_read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _gzip.Read(buffer, offset, count);
            _read += (uint)n;
            if (n == 0 && count > 0 && (uint)_read != _expected)
            {
                throw new InvalidDataException(
                    $"the gzip data of {Path.GetFileName(_path)} ends after {_read:N0} bytes, but its trailer records {_expected:N0}: the file is cut short " +
                    "(or holds several gzip members; recompress it as one)");
            }
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip.Dispose();
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private static string KindOf(ReadOnlySpan<byte> head) =>
        head.StartsWith(GzipMagic) ? "gzip" : head.StartsWith(ZstdMagic) ? "zstd" : "none";
}
