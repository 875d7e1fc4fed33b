using System.Globalization;

namespace Soft.Samples.Quickstart;

/// <summary>
/// Whole-number options read as text and parsed here, so that a bad value is reported with the option and the
/// allowed range ("--train-samples: 99999999999 is above 2147483647") instead of Spectre's
/// "Failed to convert '99999999999' to Nullable`1".
/// </summary>
internal static class CliNumber
{
    /// <summary>Parses <paramref name="text"/> (null: not given) as a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <returns>Null when the value is valid (or absent), else the message.</returns>
    public static string? Check(string option, string? text, long min, long max, out long? value)
    {
        value = null;
        if (text is null)
            return null;
        string trimmed = text.Trim();
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
        {
            // Digits that overflow a long are still a number, just out of range.
            bool digits = trimmed.Length > 0 && trimmed.TrimStart('-', '+').All(char.IsAsciiDigit) && trimmed.TrimStart('-', '+').Length > 0;
            if (!digits)
                return $"{option}: '{text}' is not a whole number.";
            return trimmed.StartsWith('-') ? $"{option}: {trimmed} is below {min}." : $"{option}: {trimmed} is above {max}.";
        }
        if (parsed < min)
            return $"{option}: {parsed} is below {min}.";
        if (parsed > max)
            return $"{option}: {parsed} is above {max}.";
        value = parsed;
        return null;
    }
}
