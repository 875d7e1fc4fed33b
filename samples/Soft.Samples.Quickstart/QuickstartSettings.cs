using System.ComponentModel;
using Soft.Data.Formats;
using Soft.Pipeline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>Command-line options of the quickstart.</summary>
internal sealed class QuickstartSettings : CommandSettings
{
    [CommandOption("--dataset <NAME|FOLDER>")]
    [Description("lastfm (embedded, default), ml-100k or ml-1m (with --data-path), or a dataset folder in any supported format (MovieLens, Amazon Reviews 2023, RecBole atomic or benchmark incl. UniSRec, D3/BIGRec CSVs, LastFM); the format is detected from the files.")]
    [DefaultValue("lastfm")]
    public string Dataset { get; init; } = "lastfm";

    [CommandOption("--data-path <PATH>")]
    [Description("Folder of the MovieLens files (u.data/u.item or ratings.dat/movies.dat).")]
    public string? DataPath { get; init; }

    [CommandOption("--format <NAME>")]
    [Description("The format of the --dataset folder, instead of detecting it: lastfm, movielens-100k, movielens-1m, movielens-latest, amazon-2023, recbole-atomic, recbole-benchmark, d3-csv.")]
    public string? Format { get; init; }

    [CommandOption("--inspect")]
    [Description("Load the dataset, print its format, the files read, what was dropped and why, and its statistics, and stop before training.")]
    public bool Inspect { get; init; }

    [CommandOption("--strict")]
    [Description("Refuse the dataset when its reader would drop anything (an item without a title, a rating of an item the metadata lacks, a duplicate row) instead of reporting the drop.")]
    public bool Strict { get; init; }

    [CommandOption("--model <DIR>")]
    [Description("A Hugging Face model folder (LLaMA, Qwen2 or GPT-2), or stories260K for the embedded tiny LLaMA. Default: a small LLaMA built for the dataset and pre-trained on its catalogue at first run (the cpu preset's choice).")]
    public string? Model { get; init; }

    [CommandOption("--preset <NAME>")]
    [Description("cpu (default: minutes on 2 cores) or paper (the reference's values; for a GPU).")]
    [DefaultValue("cpu")]
    public string Preset { get; init; } = SoftPresets.CpuName;

    // Numbers are read as text and parsed in Validate (CliNumber), so that a bad one is reported with its range.
    [CommandOption("--seed <N>")]
    [Description("The one seed of the run (a whole number). Default: 42.")]
    public string? SeedText { get; init; }

    [CommandOption("--threads <N>")]
    [Description("libtorch threads (fixed for reproducible numbers), 1 to 1024. Default: all cores.")]
    public string? ThreadsText { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Run folder; a rerun with the same options resumes there.")]
    [DefaultValue("runs/quickstart")]
    public string Out { get; init; } = "runs/quickstart";

    [CommandOption("--evaluators <NAMES>")]
    [Description("Comma-separated: exact (every item ranked by the model's log-probability; default), grounding (BIGRec's L2 grounding; it also measures the curriculum's d, so the adaptive curriculum needs it) and/or constrained-beam (D3's title-trie beam search). The first one validates during training.")]
    [DefaultValue("exact,grounding")]
    public string Evaluators { get; init; } = "exact,grounding";

    [CommandOption("--train-samples <N>")]
    [Description("Training samples (seeded subset), 1 to 2147483647; more than the data holds uses all of them, with a warning. Default: 4096 (the paper's size, both presets).")]
    public string? TrainSamplesText { get; init; }

    [CommandOption("--test-samples <N>")]
    [Description("Test samples (seeded subset), 1 to 2147483647; more than the data holds uses all of them, with a warning. Default: 1000 (the paper's size, both presets).")]
    public string? TestSamplesText { get; init; }

    [CommandOption("--rerun <STAGES>")]
    [Description("Comma-separated stages to run again in an existing run folder (base, items, sft, distill, soft, variants, eval); later stages follow.")]
    public string? Rerun { get; init; }

    [CommandOption("--fresh")]
    [Description("Start over even if --out holds a run with other options.")]
    public bool Fresh { get; init; }

    [CommandOption("--titles")]
    [Description("Write items as quoted titles instead of item tokens (the title-token model of the earlier preset; the cpu preset uses item tokens).")]
    public bool Titles { get; init; }

    [CommandOption("--item-tokens")]
    [Description("Write items as one added token each, the cpu preset's default; with --preset paper, LoRA also trains the item rows (PEFT trainable tokens).")]
    public bool ItemTokens { get; init; }

    /// <summary>The dataset folder to detect and read, or null for the embedded LastFM.</summary>
    public string? DatasetFolderPath => Dataset switch
    {
        "lastfm" => null,
        "ml-100k" or "ml-1m" => DataPath,
        _ => Dataset,
    };

    /// <summary>The --model value that selects the embedded stories260K.</summary>
    public const string EmbeddedStories = "stories260K";

    public long Seed => Parse("--seed", SeedText, long.MinValue, long.MaxValue) ?? 42;

    public int? Threads => (int?)Parse("--threads", ThreadsText, 1, 1024);

    public int? TrainSamples => (int?)Parse("--train-samples", TrainSamplesText, 1, int.MaxValue);

    public int? TestSamples => (int?)Parse("--test-samples", TestSamplesText, 1, int.MaxValue);

    public IReadOnlyList<string> EvaluatorNames =>
        [.. Evaluators.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public IReadOnlyList<RunStage> RerunStages =>
        [.. RerunNames.Select(n => RunStageNames.Parse(n)!.Value)];

    private IReadOnlyList<string> RerunNames =>
        [.. (Rerun ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public override ValidationResult Validate()
    {
        // An empty value would otherwise reach the library, whose message names its parameter ('folder'), not the flag.
        foreach (var (option, text, what) in new (string, string?, string)[]
        {
            ("--dataset", Dataset, "lastfm, ml-100k, ml-1m or a dataset folder"), ("--out", Out, "a run folder"),
            ("--data-path", DataPath, "the MovieLens folder"), ("--model", Model, "a model folder or stories260K"),
            ("--format", Format, "a format"), ("--rerun", Rerun, "stages"),
        })
        {
            if (text is not null && string.IsNullOrWhiteSpace(text))
                return ValidationResult.Error($"{option} is empty; give {what}.");
        }
        foreach (var (option, text, min, max) in new (string, string?, long, long)[]
        {
            ("--seed", SeedText, long.MinValue, long.MaxValue), ("--threads", ThreadsText, 1, 1024),
            ("--train-samples", TrainSamplesText, 1, int.MaxValue), ("--test-samples", TestSamplesText, 1, int.MaxValue),
        })
        {
            if (CliNumber.Check(option, text, min, max, out _) is { } error)
                return ValidationResult.Error(error);
        }
        if (RerunNames.FirstOrDefault(r => RunStageNames.Parse(r) is null) is { } unknown)
            return ValidationResult.Error($"--rerun: unknown stage '{unknown}'; stages: {string.Join(", ", RunStageNames.All)}.");
        if (!SoftPresets.Names.Contains(Preset.ToLowerInvariant()))
            return ValidationResult.Error($"--preset must be one of {string.Join(", ", SoftPresets.Names)}; got '{Preset}'.");
        if (Dataset is "ml-100k" or "ml-1m" && DataPath is null)
            return ValidationResult.Error($"--dataset {Dataset} needs --data-path (MovieLens may not be redistributed, so Soft does not ship it).");
        if (Format is not null)
        {
            if (DatasetFolderPath is null)
                return ValidationResult.Error("--format applies to a --dataset folder, not to the embedded lastfm.");
            if (!DatasetFolder.Formats.Any(f => string.Equals(f.Name, Format, StringComparison.OrdinalIgnoreCase)))
                return ValidationResult.Error($"--format must be one of {string.Join(", ", DatasetFolder.Formats.Select(f => f.Name))}; got '{Format}'.");
        }
        var known = Soft.Metrics.EvaluatorNames.All;
        var names = EvaluatorNames;
        if (names.Count == 0 || names.Any(n => !known.Contains(n)) || names.Distinct().Count() != names.Count)
            return ValidationResult.Error($"--evaluators takes a comma-separated list of {string.Join(", ", known)}; got '{Evaluators}'.");
        if (Titles && ItemTokens)
            return ValidationResult.Error("--titles and --item-tokens exclude each other: items are written either as titles or as item tokens.");
        if (Model is not null && Model != EmbeddedStories && !Directory.Exists(Model))
            return ValidationResult.Error($"--model: no folder '{Model}'.");
        return ValidationResult.Success();
    }

    // Validate has refused a bad value before any of these is read.
    private static long? Parse(string option, string? text, long min, long max) =>
        CliNumber.Check(option, text, min, max, out long? value) is { } error ? throw new InvalidOperationException(error) : value;
}
