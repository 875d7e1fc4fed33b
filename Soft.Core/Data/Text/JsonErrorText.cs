using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Soft.Data.Text;

/// <summary>
/// The words of a <see cref="JsonException"/> without System.Text.Json's position suffix ("LineNumber: 0 |
/// BytePositionInLine: 220."): a JSONL reader already names the file's line, and the parser's line 0 contradicts it.
/// </summary>
internal static partial class JsonErrorText
{
    /// <summary>The message, with the position as a 1-based byte of the line when the parser gave one.</summary>
    public static string Of(JsonException error)
    {
        string text = Position().Replace(error.Message, "").TrimEnd();
        return error.BytePositionInLine is { } at ? string.Create(CultureInfo.InvariantCulture, $"{text} (at byte {at + 1} of the line)") : text;
    }

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex Position();
}
