using Soft.Runs;

namespace Soft.Samples.Quickstart;

/// <summary>
/// A refused run folder in the quickstart's words: the settings that differ named by the flag that sets them, and
/// <c>--fresh</c> as the way to discard the old run. The library's message names its own parameter (forceFresh) and
/// config.json paths, which a command-line user never typed.
/// </summary>
internal static class CliRunMismatch
{
    // config.json paths (prefixes) and what sets them on the command line; the first match wins.
    private static readonly (string Prefix, string Words)[] Flags =
    [
        ("options.Seed", "--seed"),
        ("options.Threads", "--threads"),
        ("options.Preset", "--preset"),
        ("options.ItemTokens", "--titles / --item-tokens"),
        ("dataset.name", "--dataset"),
        ("dataset.train", "--train-samples"),
        ("dataset.test", "--test-samples"),
        ("dataset.titles", "the item titles in the dataset files"),
        ("dataset.samples", "the samples drawn (the dataset files, --seed, --train-samples or --test-samples)"),
        ("dataset.items", "the number of items in the dataset files"),
        ("dataset.valid", "the validation samples in the dataset files"),
        ("baseModel", "--model"),
        ("baseModelSettings", "--model"),
        ("evaluators", "--evaluators"),
    ];

    private const int Shown = 8;

    /// <summary>The message for <paramref name="error"/>, refused for the run folder given with <c>--out</c>.</summary>
    public static string Message(RunConfigMismatchException error)
    {
        if (error.Differences.Count == 0)
            return CliWords.Translate(error.Message);
        var settings = error.Differences
            .Select(d => (Flag: FlagFor(d.Setting), Difference: d))
            .GroupBy(d => d.Flag.Words, StringComparer.Ordinal)
            .Select(g => Describe(g.First().Flag, g.First().Difference))
            .ToList();
        string listed = string.Join("; ", settings.Take(Shown)) + (settings.Count > Shown ? $"; and {settings.Count - Shown} more (see config.json there)" : "");
        string stages = error.FinishedStages == 1 ? "its finished stage" : $"its {error.FinishedStages} finished stages";
        return $"--out {error.Folder} holds a run with other settings: {listed}. Rerun with --fresh to discard {stages} and start over, or give another --out.";
    }

    private static (string Prefix, string Words) FlagFor(string setting)
    {
        var flag = Flags.FirstOrDefault(f => setting == f.Prefix || setting.StartsWith(f.Prefix + ".", StringComparison.Ordinal) || setting.StartsWith(f.Prefix + "[", StringComparison.Ordinal));
        return flag.Words is null ? (setting, $"{setting} in config.json") : flag;
    }

    // Fingerprints are hashes: "changed" says as much as two hex strings and is readable. A setting below the flag's
    // own (the model's hidden size under --model) keeps its path, or "--model 64 → 128" would misquote the flag.
    private static string Describe((string Prefix, string Words) flag, RunConfigDifference difference)
    {
        if (IsHash(difference.Old) || IsHash(difference.New) || flag.Words.StartsWith("the ", StringComparison.Ordinal))
            return $"{flag.Words} changed";
        string values = $"{difference.Old ?? "(none)"} → {difference.New ?? "(none)"}";
        return difference.Setting == flag.Prefix ? $"{flag.Words} {values}" : $"{flag.Words} ({difference.Setting}: {values})";
    }

    private static bool IsHash(string? value) =>
        value is not null && value.Trim('"', '…').Length >= 32 && value.Trim('"', '…').All(char.IsAsciiHexDigitLower);
}
