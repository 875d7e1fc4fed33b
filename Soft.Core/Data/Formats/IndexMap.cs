using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// A UniSRec/CoWPiRec <c>*.item2index</c> or <c>*.user2index</c> file: one <c>original id\tindex</c> line per entry,
/// no header. The benchmark <c>.inter</c> files of that layout hold the indices, the <c>.text</c> file the original
/// ids, so every index is mapped back before the catalogue is consulted.
/// </summary>
internal sealed class IndexMap
{
    private readonly Dictionary<string, string> _originalByIndex;

    private IndexMap(string path, Dictionary<string, string> originalByIndex)
    {
        Path = path;
        _originalByIndex = originalByIndex;
    }

    /// <summary>The file the map was read from.</summary>
    public string Path { get; }

    /// <summary>Reads <paramref name="path"/>, or returns null when it does not exist.</summary>
    /// <exception cref="DatasetFormatException">A line is malformed, or an id or an index repeats.</exception>
    public static IndexMap? ReadIfExists(string path)
    {
        if (!File.Exists(path))
            return null;
        using var reader = TextLineReader.Open(path);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var originals = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = line.Split('\t');
            if (f.Length != 2)
                throw new DatasetFormatException($"expected 'original id<TAB>index' but found {f.Length} tab-separated fields", path, reader.LineNumber);
            string original = FieldParser.Required(f[0], "original id", path, reader.LineNumber);
            string index = FieldParser.Required(f[1], "index", path, reader.LineNumber);
            FieldParser.Long(index, "index", path, reader.LineNumber);
            if (!originals.Add(original))
                throw new DatasetFormatException($"'{original}' is listed twice", path, reader.LineNumber, "original id");
            if (!map.TryAdd(index, original))
                throw new DatasetFormatException($"index {index} is given to both '{map[index]}' and '{original}'", path, reader.LineNumber, "index");
        }
        return new IndexMap(path, map);
    }

    /// <summary>The original id of <paramref name="index"/>, which a row of <paramref name="source"/> holds.</summary>
    /// <exception cref="DatasetFormatException">The index is not in the map.</exception>
    public string OriginalId(string index, string source, long line, string field) =>
        _originalByIndex.TryGetValue(index.Trim(), out string? original)
            ? original
            : throw new DatasetFormatException($"index '{index.Trim()}' is not in {Path}", source, line, field);
}
