using System.Text;
using System.Text.Json;

namespace Soft.IO;

/// <summary>
/// A JSON Lines file of one record type, read and written one way: written atomically (<see cref="AtomicFile"/>) as
/// UTF-8 without a byte-order mark, one serialised record and <c>\n</c> per line; read line by line, blank lines
/// skipped, with errors that name the file and the line. The catalogue, D̂ and the predictions files are each one.
/// </summary>
/// <typeparam name="T">The record of a line.</typeparam>
/// <param name="json">How a record is (de)serialised.</param>
/// <param name="fileKind">What the file is, for "… not found" (e.g. <c>Catalogue file</c>).</param>
/// <param name="recordKind">What a line holds, for "not …" (e.g. <c>a catalogue item</c>).</param>
internal sealed class JsonLines<T>(JsonSerializerOptions json, string fileKind, string recordKind)
{
    /// <summary>One record as a line, newline included.</summary>
    public string Line(T record) => JsonSerializer.Serialize(record, json) + "\n";

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/> in order, atomically; its folder is created.</summary>
    public void Write(string path, IEnumerable<T> records) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        foreach (var record in records)
            writer.Write(Line(record));
    });

    /// <summary>The record of line <paramref name="number"/> of <paramref name="path"/>; null when the line is JSON <c>null</c>.</summary>
    /// <exception cref="InvalidDataException">The line is not a record; the message names the file and the line.</exception>
    public T? Parse(string path, int number, string line)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}, line {number}: not {recordKind} ({e.Message}).", e);
        }
    }

    /// <summary>The records of the file's non-blank lines, each with its 1-based line number; the file is read as they are taken.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (thrown at once, not when enumerated).</exception>
    /// <exception cref="InvalidDataException">A line is not a record (thrown when it is reached).</exception>
    public IEnumerable<(int Number, T? Record)> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{fileKind} not found: {path}", path);
        return Records(path);
    }

    private IEnumerable<(int Number, T? Record)> Records(string path)
    {
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
                yield return (number, Parse(path, number, line));
        }
    }
}
