using System.Globalization;
using System.Text.RegularExpressions;

namespace Soft.Data;

/// <summary>
/// The text form of item tokens: one Hugging Face added token per catalogue item, <c>&lt;item_17&gt;</c> for the
/// item at catalogue index 17 (P5-style ids). Prompts with item tokens name each history item and the target by its
/// token, so a model recommends by emitting one token instead of spelling a title.
/// </summary>
/// <remarks>
/// The catalogue index, not the source id, names the token: indices are dense and always safe inside a token,
/// whereas source ids may hold any character. The run folder keeps the catalogue, so the index maps back to the id.
/// </remarks>
public static partial class ItemTokenText
{
    /// <summary>The token text of the item at catalogue index <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static string Of(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return string.Create(CultureInfo.InvariantCulture, $"<item_{index}>");
    }

    /// <summary>The catalogue index when <paramref name="text"/> (trimmed) is exactly one item token; otherwise null.</summary>
    public static int? Parse(string? text)
    {
        if (text is null)
            return null;
        var match = Exact().Match(text.Trim());
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;
    }

    /// <summary>True when <paramref name="text"/> holds anything shaped like an item token.</summary>
    public static bool Contains(string text) => Any().IsMatch(text);

    /// <summary>Replaces every item token in <paramref name="text"/> by <paramref name="replace"/>(index); other text is kept.</summary>
    public static string Replace(string text, Func<int, string> replace)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(replace);
        return Any().Replace(text, m => int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? replace(index) : m.Value);
    }

    [GeneratedRegex(@"^<item_(\d{1,9})>$", RegexOptions.CultureInvariant)]
    private static partial Regex Exact();

    [GeneratedRegex(@"<item_(\d{1,9})>", RegexOptions.CultureInvariant)]
    private static partial Regex Any();
}
