using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Data;

/// <summary>
/// A summary of a <see cref="RecommendationDataset"/>: users, items, interactions, sequence lengths, duplicate
/// titles and split sizes. Printable (<see cref="ToString"/>, <see cref="ToMarkdown"/>) and serialisable with
/// System.Text.Json (<see cref="ToJson"/>, <see cref="FromJson"/>).
/// </summary>
public sealed record DatasetStatistics
{
    /// <summary>How many duplicate titles <see cref="DuplicateTitleExamples"/> lists at most.</summary>
    public const int MaxDuplicateTitleExamples = 20;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The dataset's name.</summary>
    public required string Name { get; init; }

    /// <summary>Distinct users (sequences, or distinct user ids of the samples).</summary>
    public required int Users { get; init; }

    /// <summary>Catalogue items.</summary>
    public required int Items { get; init; }

    /// <summary>Interactions in the sequences, or <see langword="null"/> when the source holds only samples.</summary>
    public long? Interactions { get; init; }

    /// <summary>The sequence-length distribution.</summary>
    public required SequenceLengthSummary SequenceLengths { get; init; }

    /// <summary>Titles carried by more than one item.</summary>
    public required int DuplicateTitles { get; init; }

    /// <summary>Items whose title another item also carries.</summary>
    public required int ItemsWithDuplicateTitles { get; init; }

    /// <summary>The first duplicate titles, at most <see cref="MaxDuplicateTitleExamples"/>.</summary>
    public required IReadOnlyList<DuplicateTitle> DuplicateTitleExamples { get; init; }

    /// <summary>Training samples.</summary>
    public required int TrainSamples { get; init; }

    /// <summary>Validation samples.</summary>
    public required int ValidSamples { get; init; }

    /// <summary>Test samples.</summary>
    public required int TestSamples { get; init; }

    /// <summary>The most history items a sample shows.</summary>
    public required int HistoryLength { get; init; }

    /// <summary>The protocol that produced the samples.</summary>
    public required SplitProtocol Protocol { get; init; }

    /// <summary>Computes the statistics of a dataset.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>Its statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is <see langword="null"/>.</exception>
    public static DatasetStatistics Compute(RecommendationDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var all = dataset.Train.Concat(dataset.Valid).Concat(dataset.Test);
        var duplicates = dataset.Catalog.DuplicateTitles;
        return new DatasetStatistics
        {
            Name = dataset.Name,
            Users = dataset.Sequences?.Count ?? all.Select(s => s.UserId).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).Count(),
            Items = dataset.Catalog.Count,
            Interactions = dataset.Sequences?.Sum(s => (long)s.Items.Count),
            SequenceLengths = SequenceLengthSummary.Of(dataset.Sequences is { } seqs ? seqs.Select(s => s.Items.Count) : all.Select(s => s.History.Count + 1)),
            DuplicateTitles = duplicates.Count,
            ItemsWithDuplicateTitles = duplicates.Sum(d => d.ItemIndices.Count),
            DuplicateTitleExamples = [.. duplicates.Take(MaxDuplicateTitleExamples)],
            TrainSamples = dataset.Train.Count,
            ValidSamples = dataset.Valid.Count,
            TestSamples = dataset.Test.Count,
            HistoryLength = dataset.HistoryLength,
            Protocol = dataset.Protocol,
        };
    }

    /// <summary>Serialises to indented JSON with snake_case names.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads statistics written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not valid statistics JSON.</exception>
    public static DatasetStatistics FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<DatasetStatistics>(json, JsonOptions)
            ?? throw new JsonException("The JSON text holds null, not dataset statistics.");
    }

    /// <summary>A Markdown table of the statistics.</summary>
    /// <returns>Markdown text.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### {Name}\n\n| statistic | value |\n|---|---|\n");
        foreach (var (label, value) in Rows())
            text.Append(CultureInfo.InvariantCulture, $"| {label} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        return text.ToString();
    }

    /// <summary>A plain-text summary, one statistic per line.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var rows = Rows();
        int width = rows.Max(r => r.Label.Length);
        var text = new StringBuilder().Append(Name).Append('\n');
        foreach (var (label, value) in rows)
            text.Append("  ").Append(label.PadRight(width)).Append("  ").Append(value).Append('\n');
        return text.ToString();
    }

    private List<(string Label, string Value)> Rows()
    {
        var c = CultureInfo.InvariantCulture;
        var l = SequenceLengths;
        var rows = new List<(string, string)>
        {
            ("users", Users.ToString("N0", c)),
            ("items", Items.ToString("N0", c)),
            ("interactions", Interactions?.ToString("N0", c) ?? "n/a (samples only)"),
            ("sequence length", string.Create(c, $"min {l.Min}, p25 {l.Percentile25}, median {l.Median}, p75 {l.Percentile75}, p90 {l.Percentile90}, max {l.Max}, mean {l.Mean:F2}")),
            ("duplicate titles", string.Create(c, $"{DuplicateTitles} titles shared by {ItemsWithDuplicateTitles} items")),
            ("protocol", string.Create(c, $"{Protocol}, history {HistoryLength}")),
            ("train / valid / test", string.Create(c, $"{TrainSamples:N0} / {ValidSamples:N0} / {TestSamples:N0}")),
        };
        if (DuplicateTitleExamples.Count > 0)
            rows.Add(("e.g. shared title", TitleQuoting.Quote(DuplicateTitleExamples[0].Title) + " × " + DuplicateTitleExamples[0].ItemIndices.Count));
        return rows;
    }
}
