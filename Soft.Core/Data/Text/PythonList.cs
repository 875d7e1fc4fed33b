using System.Globalization;
using System.Text;

namespace Soft.Data.Text;

/// <summary>
/// Parses the <c>repr</c> of a Python list of strings or integers, which is how D3/BIGRec CSVs store histories
/// (<c>[12, 45]</c>, <c>['Title A', "Title's B"]</c>). Strings may use either quote and backslash escapes.
/// </summary>
internal static class PythonList
{
    public static List<string> Parse(string text)
    {
        var items = new List<string>();
        int i = SkipSpace(text, 0);
        if (i >= text.Length || text[i] != '[')
            throw new FormatException("a Python list must start with '['");
        i = SkipSpace(text, i + 1);
        if (i < text.Length && text[i] == ']')
            return End(text, i, items);
        while (true)
        {
            i = SkipSpace(text, i);
            if (i >= text.Length)
                throw new FormatException("the list is not closed with ']'");
            i = text[i] is '\'' or '"' ? ReadString(text, i, items) : ReadBare(text, i, items);
            i = SkipSpace(text, i);
            if (i >= text.Length)
                throw new FormatException("the list is not closed with ']'");
            if (text[i] == ']')
                return End(text, i, items);
            if (text[i] != ',')
                throw new FormatException($"expected ',' or ']' at position {i}, found '{text[i]}'");
            i = SkipSpace(text, i + 1);
            if (i < text.Length && text[i] == ']')
                return End(text, i, items); // Python allows a trailing comma.
        }
    }

    private static List<string> End(string text, int close, List<string> items)
    {
        if (SkipSpace(text, close + 1) != text.Length)
            throw new FormatException("text follows the closing ']'");
        return items;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        return i;
    }

    private static int ReadBare(string text, int i, List<string> items)
    {
        int start = i;
        while (i < text.Length && text[i] != ',' && text[i] != ']' && !char.IsWhiteSpace(text[i]))
            i++;
        string token = text[start..i];
        if (!long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            throw new FormatException($"'{token}' is neither a quoted string nor an integer");
        items.Add(token);
        return i;
    }

    private static int ReadString(string text, int i, List<string> items)
    {
        char quote = text[i];
        var value = new StringBuilder();
        for (i++; i < text.Length; i++)
        {
            char c = text[i];
            if (c == quote)
            {
                items.Add(value.ToString());
                return i + 1;
            }
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (++i >= text.Length)
                break;
            char e = text[i];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '\\' or '\'' or '"': value.Append(e); break;
                case 'x': value.Append(Hex(text, ref i, 2)); break;
                case 'u': value.Append(Hex(text, ref i, 4)); break;
                case 'U': value.Append(char.ConvertFromUtf32(int.Parse(Digits(text, ref i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture))); break;
                default: value.Append('\\').Append(e); break; // Python keeps unknown escapes as written.
            }
        }
        throw new FormatException("a quoted string is not closed");
    }

    private static char Hex(string text, ref int i, int length) =>
        (char)int.Parse(Digits(text, ref i, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Digits(string text, ref int i, int length)
    {
        if (i + length >= text.Length)
            throw new FormatException("a \\x or \\u escape is cut short");
        string digits = text.Substring(i + 1, length);
        i += length;
        return digits;
    }
}
