using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Data;

/// <summary>
/// What loading a dataset read and what it left out, and why: the files (with their compression), every drop counted
/// by reason (<see cref="DatasetDrop"/>), and what is legal but looks like a slip (splits that share a file or most of
/// their rows). The quickstart prints it with <c>--inspect</c> and before a run, and a run writes it to its folder as
/// <see cref="FileName"/>, so that nothing a reader skipped goes unsaid.
/// </summary>
public sealed record DatasetReport
{
    /// <summary>The report's file in a run folder.</summary>
    public const string FileName = "dataset-report.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A report with nothing read from files and nothing dropped (datasets made in code).</summary>
    public static DatasetReport Empty { get; } = new();

    /// <summary>The files read, in the order the format lists them; empty for data made in code or embedded.</summary>
    public IReadOnlyList<DatasetReportFile> Files { get; init; } = [];

    /// <summary>Every drop, one per reason, in the order they happened (reading, then filtering, then sampling).</summary>
    public IReadOnlyList<DatasetDrop> Drops { get; init; } = [];

    /// <summary>What was kept but looks unintended, one line each (for example the same rows in two splits).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The report as indented JSON with snake_case names.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static DatasetReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<DatasetReport>(json, JsonOptions) ?? throw new JsonException("The JSON text holds null, not a dataset report.");
    }

    /// <summary>The report for a console, one line each: files read, then drops, then warnings.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>();
        if (Files.Count > 0)
            lines.Add("read: " + string.Join(", ", Files.Select(f => $"{Path.GetFileName(f.Path)} ({(f.Compression == "none" ? "" : f.Compression + ", ")}{Size(f.Bytes)})")));
        lines.AddRange(Drops.Count == 0 ? ["dropped: nothing"] : Drops.Select(d => "dropped: " + d));
        lines.AddRange(Warnings.Select(w => "warning: " + w));
        return lines;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MiB"),
    };
}
