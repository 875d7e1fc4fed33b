using System.Globalization;

namespace Soft.Data.Text;

/// <summary>Parses typed fields and reports failures with the file, line and field name.</summary>
internal static class FieldParser
{
    public static long Long(string value, string field, string source, long line)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long result))
            return result;
        // RecBole writes timestamps as floats ("881250949.0").
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
            return (long)d;
        throw Invalid(value, "an integer", field, source, line);
    }

    /// <summary>Unix seconds: an integer, not negative (a negative one is a sign-extended or corrupted field, not 1969).</summary>
    public static long Timestamp(string value, string field, string source, long line)
    {
        long seconds = Long(value, field, source, line);
        if (seconds < 0)
            throw new DatasetFormatException($"timestamp {seconds} is negative; expected Unix seconds", source, line, field);
        return seconds;
    }

    public static float Float(string value, string field, string source, long line)
    {
        if (float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float result) && float.IsFinite(result))
            return result;
        throw Invalid(value, "a number", field, source, line);
    }

    public static string Required(string value, string field, string source, long line)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DatasetFormatException("the field is empty", source, line, field);
        return value.Trim();
    }

    /// <summary>Fails on the first missing field when a row has fewer fields than <paramref name="names"/>.</summary>
    public static void ExpectFields(string[] fields, string[] names, string source, long line)
    {
        if (fields.Length < names.Length)
            throw new DatasetFormatException($"expected {names.Length} fields ({string.Join(", ", names)}) but found {fields.Length}", source, line, names[fields.Length]);
    }

    private static DatasetFormatException Invalid(string value, string expected, string field, string source, long line)
    {
        string shown = value.Length > 40 ? value[..40] + "…" : value;
        return new DatasetFormatException($"'{shown}' is not {expected}", source, line, field);
    }
}
