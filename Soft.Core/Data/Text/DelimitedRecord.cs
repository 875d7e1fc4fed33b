using System.Text;

namespace Soft.Data.Text;

/// <summary>
/// Splits delimited text records. Quoted fields follow RFC 4180 (doubled quotes inside, delimiters and line breaks
/// allowed), which is also what Python's <c>csv</c> writer and pandas produce.
/// </summary>
internal static class DelimitedRecord
{
    /// <summary>
    /// Reads one quoted-CSV record, which may continue over several lines when a quoted field holds a line break.
    /// Returns <see langword="false"/> at the end of the file; <paramref name="firstLine"/> is where the record began.
    /// </summary>
    public static bool TryReadCsv(TextLineReader reader, char delimiter, List<string> fields, out long firstLine)
    {
        fields.Clear();
        string? line = reader.ReadLine();
        firstLine = reader.LineNumber;
        if (line is null)
            return false;

        var field = new StringBuilder();
        bool inQuotes = false;
        bool wasQuoted = false;
        while (true)
        {
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (inQuotes)
                {
                    if (c != '"')
                        field.Append(c);
                    else if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                        inQuotes = false;
                }
                else if (c == delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                }
                else if (c == '"' && field.Length == 0 && !wasQuoted)
                {
                    inQuotes = true;
                    wasQuoted = true;
                }
                else if (wasQuoted)
                {
                    throw new DatasetFormatException($"unexpected character '{c}' after the closing quote of field {fields.Count + 1}", reader.Source, reader.LineNumber);
                }
                else
                {
                    field.Append(c);
                }
            }
            if (!inQuotes)
                break;
            // The quoted field holds a line break: the record continues on the next line.
            line = reader.ReadLine();
            if (line is null)
                throw new DatasetFormatException($"quoted field {fields.Count + 1} is not closed before the end of the file", reader.Source, firstLine);
            field.Append('\n');
        }
        fields.Add(field.ToString());
        return true;
    }

}
