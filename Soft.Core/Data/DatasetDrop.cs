using System.Globalization;

namespace Soft.Data;

/// <summary>
/// Rows, items or users a dataset lost for one reason, counted, with the first example's place so it can be looked
/// up. A reader drops what a prompt cannot use (an item without a title) or what it cannot place (a rating of an item
/// the metadata lacks); <see cref="DatasetOptions.Strict"/> turns those into errors. Drops the options ask for
/// (<see cref="ByOption"/>: the k-core) are reported but never refused.
/// </summary>
/// <param name="Reason">Why, one of <see cref="DatasetDropReason"/>.</param>
/// <param name="Count">How many were dropped.</param>
/// <param name="Unit">What was counted: "items", "interactions", "rows", "users".</param>
/// <param name="Detail">What went with them or what the reason means, e.g. "with their 59 interactions"; null when nothing.</param>
/// <param name="Example">The first one, e.g. "item 'B03'"; null when there is none to name.</param>
/// <param name="File">The file of the first one, when known.</param>
/// <param name="Line">The 1-based line of the first one in <paramref name="File"/>, when known.</param>
/// <param name="ByOption">True when an option asked for the drop (k-core), so strict mode lets it pass.</param>
public sealed record DatasetDrop(string Reason, long Count, string Unit, string? Detail, string? Example, string? File, long? Line, bool ByOption = false)
{
    /// <summary>One line for a console: "no title: 3 items dropped with their 59 interactions (first: item 'B03', meta.jsonl line 3)".</summary>
    public override string ToString()
    {
        var where = new List<string>(2);
        if (Example is not null)
            where.Add(Example);
        if (File is not null)
            where.Add(Line is { } line ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(File)} line {line}") : Path.GetFileName(File));
        string first = where.Count == 0 ? "" : $" (first: {string.Join(", ", where)})";
        string unit = Count == 1 && Unit.EndsWith('s') ? Unit[..^1] : Unit;
        return string.Create(CultureInfo.InvariantCulture, $"{Reason}: {Count:N0} {unit} dropped{(Detail is null ? "" : " " + Detail)}{first}");
    }
}
