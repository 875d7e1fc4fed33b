namespace Soft.Data;

/// <summary>
/// A recommendation data file (or the data built from it) is malformed or unusable. The message names the file,
/// the 1-based line and the field, so the offending row can be found and fixed.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates an exception for a problem at a known place in a file.</summary>
    /// <param name="message">What is wrong, without the location (it is prefixed automatically).</param>
    /// <param name="filePath">The file that holds the problem, or <see langword="null"/> when it is not tied to one file.</param>
    /// <param name="lineNumber">The 1-based line, or <see langword="null"/> when the problem is not tied to one line.</param>
    /// <param name="field">The column or field name, or <see langword="null"/> when the problem is not tied to one field.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public DatasetFormatException(string message, string? filePath = null, long? lineNumber = null, string? field = null, Exception? innerException = null)
        : base(Compose(message, filePath, lineNumber, field), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Field = field;
    }

    /// <summary>The file that holds the problem, or <see langword="null"/> when it is not tied to one file.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line number, or <see langword="null"/> when the problem is not tied to one line.</summary>
    public long? LineNumber { get; }

    /// <summary>The column or field name, or <see langword="null"/> when the problem is not tied to one field.</summary>
    public string? Field { get; }

    private static string Compose(string message, string? filePath, long? lineNumber, string? field)
    {
        var where = new List<string>(3);
        if (filePath is not null)
            where.Add(filePath);
        if (lineNumber is not null)
            where.Add($"line {lineNumber}");
        if (field is not null)
            where.Add($"field '{field}'");
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
