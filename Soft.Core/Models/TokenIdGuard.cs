namespace Soft.Models;

/// <summary>
/// Refuses token ids that a vocabulary or an embedding table does not have, before they reach libtorch: there an
/// id out of range is "index out of range in self" from a native frame, with no word of which text produced it.
/// </summary>
internal static class TokenIdGuard
{
    // Long texts are cut in messages; the start is enough to find them in a catalogue.
    private const int ShownCharacters = 200;

    /// <summary>Throws when an id of <paramref name="ids"/> is negative or not below <paramref name="limit"/>.</summary>
    /// <param name="ids">The ids <paramref name="text"/> encoded to.</param>
    /// <param name="limit">The number of ids there are (vocabulary size, or embedding rows).</param>
    /// <param name="text">The encoded text, named in the message.</param>
    /// <param name="what">What <paramref name="limit"/> counts, for the message (for example "the model's 3,012 embedding rows").</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/>, <paramref name="text"/> or <paramref name="what"/> is null.</exception>
    /// <exception cref="TokenIdOutOfRangeException">An id is out of range; the message names the text, the id and the limit.</exception>
    public static void ThrowIfOutOfRange(IReadOnlyList<int> ids, int limit, string text, string what)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(what);
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] < 0 || ids[i] >= limit)
            {
                throw new TokenIdOutOfRangeException(
                    $"The text '{Shown(text)}' encodes to token id {ids[i]} (token {i}), but {what} has only ids 0..{limit - 1}: " +
                    "the tokenizer and the model do not match.", ids[i], limit);
            }
        }
    }

    /// <summary>The start of <paramref name="text"/>, with control characters made visible, as messages show it.</summary>
    internal static string Shown(string text)
    {
        string start = text.Length <= ShownCharacters ? text : text[..ShownCharacters] + $"… ({text.Length:N0} characters)";
        return string.Concat(start.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }
}
