namespace Soft.Data.Formats;

/// <summary>
/// The line each item id of an item file was first listed on, so that a repeated id is reported with both lines:
/// the second line alone does not tell which of the two rows is the stray one.
/// </summary>
internal sealed class ItemIdLines(string source, string field, string noun)
{
    private readonly Dictionary<string, long> _first = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="id"/> at <paramref name="line"/>.</summary>
    /// <exception cref="DatasetFormatException">The id was listed before; the message names both lines.</exception>
    public void Add(string id, long line)
    {
        if (!_first.TryAdd(id, line))
            throw new DatasetFormatException($"{noun} {id} is listed twice, on line {_first[id]} and on line {line}", source, line, field);
    }
}
