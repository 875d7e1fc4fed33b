using System.Text;

namespace Soft.Data.Text;

/// <summary>
/// Reads a text file line by line with a running 1-based line number, decoding each line on its own so that an
/// invalid UTF-8 sequence is reported on the line that holds it (a <see cref="StreamReader"/> decodes whole blocks
/// and cannot say where). Accepts LF and CRLF endings and skips a UTF-8 byte-order mark. A gzip or Zstandard file is
/// decompressed as it is read (<see cref="CompressedInput"/>).
/// </summary>
internal sealed class TextLineReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly Encoding _encoding;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _atStart = true;

    public TextLineReader(Stream stream, string source, Encoding? encoding = null)
    {
        _stream = stream;
        Source = source;
        _encoding = encoding ?? StrictUtf8;
    }

    /// <summary>The file name used in error messages.</summary>
    public string Source { get; }

    /// <summary>The 1-based number of the line returned last (0 before the first).</summary>
    public long LineNumber { get; private set; }

    public static TextLineReader Open(string path, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file not found: {path}", path);
        return new TextLineReader(CompressedInput.Open(path), path, encoding);
    }

    /// <summary>The next line's raw bytes (without the line ending), or <see langword="false"/> at the end.</summary>
    public bool TryReadLineBytes(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TakeLine(_start, newline, consumed: newline + 1);
                return true;
            }
            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = TakeLine(_start, _end - _start, consumed: _end - _start);
                return true;
            }
            Fill();
        }
    }

    /// <summary>The next decoded line, or <see langword="null"/> at the end of the file.</summary>
    public string? ReadLine()
    {
        if (!TryReadLineBytes(out var bytes))
            return null;
        return Decode(bytes);
    }

    /// <summary>Decodes bytes of the current line, reporting invalid UTF-8 with this file and line.</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return _encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new DatasetFormatException($"invalid {_encoding.WebName} byte sequence at byte {ex.Index} of the line", Source, LineNumber, innerException: ex);
        }
    }

    public void Dispose() => _stream.Dispose();

    private ReadOnlySpan<byte> TakeLine(int start, int length, int consumed)
    {
        _start += consumed;
        LineNumber++;
        var line = _buffer.AsSpan(start, length);
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (_atStart)
        {
            _atStart = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) && _encoding is UTF8Encoding)
                line = line[3..];
        }
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        // ZstdSharp reports a cut-short file as EndOfStreamException, gzip (see CompressedInput) as InvalidDataException.
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or ZstdSharp.ZstdException)
        {
            // The decompressor's own words ("unsupported compression method") say nothing of where the file breaks.
            throw new DatasetFormatException($"the compressed data is damaged after line {LineNumber} ({ex.Message})", Source, LineNumber + 1, innerException: ex);
        }
        if (read == 0)
            _endOfStream = true;
        _end += read;
    }
}
