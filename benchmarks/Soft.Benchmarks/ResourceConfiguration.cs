using System.Globalization;

namespace Soft.Benchmarks;

/// <summary>
/// One configuration of the resource benchmark: which of the cpu preset's two models, how long the titles are, how
/// much history a prompt shows, the title cap, and how many optimizer steps each stage runs. It travels to the child
/// process that measures it as command-line arguments (<see cref="ToArguments"/>, <see cref="Parse"/>).
/// </summary>
internal sealed record ResourceConfiguration
{
    /// <summary>Item tokens (the cpu preset's default) or quoted titles (its <c>--titles</c> model).</summary>
    public required bool ItemTokens { get; init; }

    /// <summary>Titles padded to this many characters (<see cref="TitleSynthesis"/>); null keeps LastFM's own.</summary>
    public int? TitleCharacters { get; init; }

    /// <summary><see cref="Soft.Data.DatasetOptions.HistoryLength"/>.</summary>
    public required int History { get; init; }

    /// <summary><see cref="Soft.Pipeline.SoftOptions.MaxHistoryTitleTokens"/>; null is the preset's default (no cap).</summary>
    public int? MaxHistoryTitleTokens { get; init; }

    /// <summary>Optimizer steps of pre-training and of each training stage (the preset's 2 epochs of half as many).</summary>
    public required int Steps { get; init; }

    /// <summary>Validation samples (a seeded subset); validation runs grounding, which generates in batches of 8.</summary>
    public required int ValidationSamples { get; init; }

    /// <summary>Test samples (a seeded subset); exact scoring with titles runs one prompt at a time, so a few suffice.</summary>
    public required int TestSamples { get; init; }

    /// <summary>libtorch threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The model as the table names it.</summary>
    public string Model => ItemTokens ? "items" : "titles";

    /// <summary>The titles as the table names them.</summary>
    public string Titles => TitleCharacters is int c ? c.ToString(CultureInfo.InvariantCulture) : "lastfm";

    /// <summary>The child's arguments after the verb; <see cref="Parse"/> reads them back.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string>
        {
            "--model", Model, "--titles", Titles, "--history", Invariant(History), "--steps", Invariant(Steps),
            "--valid-samples", Invariant(ValidationSamples),
            "--test-samples", Invariant(TestSamples), "--threads", Invariant(Threads),
        };
        if (MaxHistoryTitleTokens is int cap)
            args.AddRange(["--cap", Invariant(cap)]);
        return args;
    }

    /// <summary>Reads the arguments <see cref="ToArguments"/> writes (in any order).</summary>
    /// <exception cref="ArgumentException">An argument is missing or not a valid value; the message names it.</exception>
    public static ResourceConfiguration Parse(Func<string, string?> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        string Required(string name) => option(name) ?? throw new ArgumentException($"{name} is missing.");
        return new ResourceConfiguration
        {
            ItemTokens = ResourceGrid.ParseModel(Required("--model")),
            TitleCharacters = ResourceGrid.ParseTitles(Required("--titles")),
            History = ResourceGrid.ParseCount("--history", Required("--history")),
            MaxHistoryTitleTokens = option("--cap") is { } cap ? ResourceGrid.ParseCount("--cap", cap) : null,
            Steps = ResourceGrid.ParseSteps(Required("--steps")),
            ValidationSamples = ResourceGrid.ParseCount("--valid-samples", Required("--valid-samples")),
            TestSamples = ResourceGrid.ParseCount("--test-samples", Required("--test-samples")),
            Threads = ResourceGrid.ParseCount("--threads", Required("--threads")),
        };
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
