using System.Text;

namespace Soft.Data;

/// <summary>
/// The one way titles are written into prompts and targets: inside double quotes, with a backslash before any
/// <c>"</c> or <c>\</c> in the title, and every control character (tab, line break) replaced by a space. Titles
/// without quotes or backslashes (all of MovieLens-100K, all but 3 LastFM artists) come out exactly as in the
/// reference code, which wraps titles in quotes without escaping.
/// </summary>
public static class TitleQuoting
{
    /// <summary>Writes a title as a quoted, escaped string.</summary>
    /// <param name="title">The raw title.</param>
    /// <returns>The quoted title, e.g. <c>"Toy Story (1995)"</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is <see langword="null"/>.</exception>
    public static string Quote(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var text = new StringBuilder(title.Length + 2);
        text.Append('"');
        foreach (char c in title)
        {
            if (c is '"' or '\\')
                text.Append('\\').Append(c);
            else if (char.IsControl(c))
                text.Append(' ');
            else
                text.Append(c);
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// Reads back a title written by <see cref="Quote"/> from the start of <paramref name="text"/> (generated text
    /// may continue after the closing quote). Leading whitespace is skipped.
    /// </summary>
    /// <param name="text">Text that starts with a quoted title.</param>
    /// <param name="title">The unescaped title when one was found.</param>
    /// <returns><see langword="false"/> when the text does not start with a complete quoted title.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool TryUnquote(string text, out string title)
    {
        ArgumentNullException.ThrowIfNull(text);
        title = string.Empty;
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        if (i >= text.Length || text[i] != '"')
            return false;
        var result = new StringBuilder();
        for (i++; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
                result.Append(text[++i]);
            else if (c == '"')
            {
                title = result.ToString();
                return true;
            }
            else
                result.Append(c);
        }
        return false;
    }
}
