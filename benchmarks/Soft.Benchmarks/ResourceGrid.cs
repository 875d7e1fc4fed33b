using System.Globalization;

namespace Soft.Benchmarks;

/// <summary>
/// Command-line settings of the <c>memory</c> benchmark: the grid of models × title lengths × history lengths, at
/// the preset's <see cref="Soft.Pipeline.SoftOptions.MaxHistoryTitleTokens"/> (none), plus one row with the cap set,
/// and the step check (<see cref="StepsCheckRow"/>).
/// </summary>
internal sealed record ResourceGrid
{
    /// <summary>Item tokens (true) and/or titles (false), in the order given.</summary>
    public required IReadOnlyList<bool> Models { get; init; }

    /// <summary>Title lengths in characters; null is LastFM's own titles.</summary>
    public required IReadOnlyList<int?> Titles { get; init; }

    /// <summary>History lengths.</summary>
    public required IReadOnlyList<int> Histories { get; init; }

    /// <summary>Every title length × every history (true), or only the two axes (false; see <see cref="Configurations"/>).</summary>
    public bool Cross { get; init; }

    /// <summary>The history at which the title axis (and the capped row) is measured; one of <see cref="Histories"/>.</summary>
    public required int AtHistory { get; init; }

    /// <summary>The capped row's <see cref="Soft.Pipeline.SoftOptions.MaxHistoryTitleTokens"/>; null leaves the row out.</summary>
    public int? CappedTokens { get; init; }

    /// <summary>Optimizer steps of pre-training and of each training stage.</summary>
    public required int Steps { get; init; }

    /// <summary>How many times the steps the check row runs; 1 leaves it out.</summary>
    public required int CheckFactor { get; init; }

    /// <summary>Validation samples of every row.</summary>
    public required int ValidationSamples { get; init; }

    /// <summary>Test samples of every row.</summary>
    public required int TestSamples { get; init; }

    /// <summary>libtorch threads of every child.</summary>
    public required int Threads { get; init; }

    /// <summary>Markdown file whose resources section is replaced; null prints only.</summary>
    public string? Doc { get; init; }

    /// <summary>Where the results go as JSON; null for none.</summary>
    public string? Json { get; init; }

    /// <summary>The command as typed, for the document.</summary>
    public required string CommandLine { get; init; }

    /// <summary>
    /// The grid's rows in run order, per model: with <see cref="Cross"/> every title length × every history; otherwise
    /// the two axes through the first title length and <see cref="AtHistory"/> (every history at the first title
    /// length, then every other title length at that history). Then the capped row: the titles model with the longest
    /// titles at <see cref="AtHistory"/>, beside its uncapped twin.
    /// </summary>
    public IReadOnlyList<ResourceConfiguration> Configurations()
    {
        var rows = new List<ResourceConfiguration>();
        foreach (bool items in Models)
        {
            foreach (int? titles in Titles)
            {
                foreach (int history in Histories)
                {
                    if (Cross || titles == Titles[0] || history == AtHistory)
                        rows.Add(Row(items, titles, history, cap: null));
                }
            }
        }
        // The cap cuts history titles, so it only changes prompts that show titles; it matters most where they are longest.
        if (CappedTokens is int cap && Models.Contains(false))
            rows.Add(Row(false, Titles.MaxBy(t => t ?? 0), AtHistory, cap));
        return rows;
    }

    /// <summary>
    /// The row the step check repeats with <see cref="CheckFactor"/> × the steps: the highest peak among the uncapped
    /// rows with the first title length (where exact scoring, which costs seconds per prompt with long titles, stays
    /// cheap, and the longest histories give training its largest batches); null when the check is off.
    /// </summary>
    public ResourceResult? StepsCheckRow(IReadOnlyList<ResourceResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (CheckFactor == 1)
            return null;
        return results.Where(r => r.Configuration.TitleCharacters == Titles[0] && r.Configuration.MaxHistoryTitleTokens is null)
            .MaxBy(r => r.PeakBytes);
    }

    /// <summary>The step check: <paramref name="row"/> again with <see cref="CheckFactor"/> × the steps.</summary>
    public ResourceConfiguration StepsCheck(ResourceConfiguration row) => row with { Steps = row.Steps * CheckFactor };

    private ResourceConfiguration Row(bool items, int? titles, int history, int? cap) => new()
    {
        ItemTokens = items,
        TitleCharacters = titles,
        History = history,
        MaxHistoryTitleTokens = cap,
        Steps = Steps,
        ValidationSamples = ValidationSamples,
        TestSamples = TestSamples,
        Threads = Threads,
    };

    /// <summary>Reads the grid from the command line; every value is checked, with the option named in the error.</summary>
    /// <exception cref="ArgumentException">A value is malformed, out of range, repeated, or the combination is unusable.</exception>
    public static ResourceGrid Parse(string[] args, Func<string, string?> option)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(option);
        var grid = new ResourceGrid
        {
            Models = List("--models", option("--models") ?? "items,titles", ParseModel),
            Titles = List("--title-chars", option("--title-chars") ?? "lastfm,90,180", ParseTitles),
            Histories = List("--histories", option("--histories") ?? "5,10,20,50", v => ParseCount("--histories", v)),
            Cross = args.Contains("--cross"),
            AtHistory = ParseCount("--at-history", option("--at-history") ?? "10"),
            CappedTokens = option("--cap") is { } cap ? (cap == "none" ? null : ParseCount("--cap", cap)) : 16,
            Steps = ParseSteps(option("--steps") ?? "2"),
            CheckFactor = ParseCount("--check-factor", option("--check-factor") ?? "3"),
            ValidationSamples = ParseCount("--valid-samples", option("--valid-samples") ?? "8"),
            TestSamples = ParseCount("--test-samples", option("--test-samples") ?? "1"),
            Threads = ParseCount("--threads", option("--threads") ?? "1"),
            Doc = option("--doc"),
            Json = option("--json"),
            CommandLine = "dotnet run -c Release --project benchmarks/Soft.Benchmarks -- " + string.Join(' ', args),
        };
        if (!grid.Histories.Contains(grid.AtHistory))
            throw new ArgumentException($"--at-history: {grid.AtHistory} is not one of --histories ({string.Join(",", grid.Histories)}).");
        if (grid.CappedTokens is not null && option("--cap") is not null && !grid.Models.Contains(false))
            throw new ArgumentException("--cap: the capped row uses the titles model (the cap cuts titles in prompts); add titles to --models or pass --cap none.");
        return grid;
    }

    /// <summary><c>items</c> → true, <c>titles</c> → false.</summary>
    public static bool ParseModel(string text) => text switch
    {
        "items" => true,
        "titles" => false,
        _ => throw new ArgumentException($"--models: unknown model '{text}'; models: items, titles."),
    };

    /// <summary><c>lastfm</c> → null (the catalogue's own titles), else a length in characters from 1 to 10,000.</summary>
    public static int? ParseTitles(string text) =>
        text == "lastfm" ? null : Number("--title-chars", text, 1, 10_000, "or 'lastfm'");

    /// <summary>A whole number from 1 to 100,000.</summary>
    public static int ParseCount(string name, string text) => Number(name, text, 1, 100_000, null);

    /// <summary>Steps per stage: even (two epochs of equal length) and from 2 to 10,000.</summary>
    public static int ParseSteps(string text)
    {
        int steps = Number("--steps", text, 2, 10_000, null);
        if (steps % 2 != 0)
            throw new ArgumentException($"--steps: {steps} is odd; the preset trains 2 epochs per stage, so the steps must split evenly.");
        return steps;
    }

    private static IReadOnlyList<T> List<T>(string name, string text, Func<string, T> parse)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        if (values.Count == 0)
            throw new ArgumentException($"{name}: needs at least one value; got '{text}'.");
        if (values.Distinct().Count() != values.Count)
            throw new ArgumentException($"{name}: a value is repeated in '{text}'.");
        return values;
    }

    private static int Number(string name, string text, int min, int max, string? alternative)
    {
        string accepted = $"a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}{(alternative is null ? "" : " " + alternative)}";
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new ArgumentException($"{name}: '{text}' is not {accepted}.");
        if (value < min || value > max)
            throw new ArgumentException($"{name}: {text} is {(value < min ? "below" : "above")} the range; expected {accepted}.");
        return (int)value;
    }
}
