namespace Soft.Data.Text;

/// <summary>
/// Finds columns by name in a header row. RecBole headers carry a type after a colon (<c>item_id:token</c>); the
/// name before the colon is what is matched.
/// </summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private readonly string _source;
    private readonly List<string> _names = [];

    public ColumnMap(IReadOnlyList<string> header, string source, bool typedNames = false)
    {
        _source = source;
        for (int i = 0; i < header.Count; i++)
        {
            string name = header[i].Trim();
            if (typedNames && name.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
                name = name[..colon];
            _columns.TryAdd(name, i);
            _names.Add(name);
        }
        Count = header.Count;
    }

    public int Count { get; }

    /// <summary>The column a short row is missing first (or the last column when a row is too long).</summary>
    public string NameAt(int index) => _names[Math.Clamp(index, 0, _names.Count - 1)];

    public int Require(string name) =>
        _columns.TryGetValue(name, out int index)
            ? index
            : throw new DatasetFormatException($"the header has no '{name}' column (found: {string.Join(", ", _columns.Keys)})", _source, 1, name);

    public int? Optional(string name) => _columns.TryGetValue(name, out int index) ? index : null;

    public (int Index, string Name)? FirstOf(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (_columns.TryGetValue(name, out int index))
                return (index, name);
        }
        return null;
    }
}
