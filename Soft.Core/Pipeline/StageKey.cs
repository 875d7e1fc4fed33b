namespace Soft.Pipeline;

/// <summary>
/// A stage of a run as the run folder's manifest records it: its kind (what a rerun names) and its name (the manifest
/// key and, for trained methods, the folder). Every name the pipeline writes is made here, so none is ever parsed.
/// </summary>
/// <param name="Kind">Which rerunnable step the stage belongs to.</param>
/// <param name="Name">The manifest key, e.g. <c>sft</c>, <c>soft-variant-SOFT-alpha-10</c>, <c>eval/SFT/exact</c>.</param>
internal readonly record struct StageKey(RunStage Kind, string Name)
{
    public static StageKey Base { get; } = new(RunStage.Base, "base");

    public static StageKey Items { get; } = new(RunStage.Items, "items");

    public static StageKey Distill { get; } = new(RunStage.Distill, "distill");

    public static StageKey Sft { get; } = new(RunStage.Sft, "sft");

    public static StageKey Soft { get; } = new(RunStage.Soft, "soft");

    /// <summary>The training stage of the variant called <paramref name="method"/>: <c>soft-variant-…</c>.</summary>
    public static StageKey Variant(string method) => new(RunStage.Variants, $"soft-variant-{FileSafe(method)}");

    /// <summary>The test evaluation of <paramref name="method"/> by <paramref name="evaluator"/>.</summary>
    public static StageKey Evaluation(string method, string evaluator) => new(RunStage.Eval, $"eval/{FileSafe(method)}/{evaluator}");

    /// <summary>Where the evaluation's metrics go, relative to the run folder.</summary>
    public static string MetricsFile(string method, string evaluator) => $"eval/{FileSafe(method)}/{evaluator}.json";

    /// <summary>Where the evaluation's per-sample predictions go, relative to the run folder.</summary>
    public static string PredictionsFile(string method, string evaluator) => $"predictions/{FileSafe(method)}-{evaluator}-test.jsonl";

    // ASCII letters, digits, '-' and '_' only (stage folders must be portable names); α, common in variant names,
    // is spelled out, and runs of '-' collapse: "SOFT (α=10)" → "SOFT-alpha-10".
    private static string FileSafe(string method)
    {
        string spelled = method.Replace("α", "alpha", StringComparison.Ordinal);
        string safe = string.Concat(spelled.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        while (safe.Contains("--", StringComparison.Ordinal))
            safe = safe.Replace("--", "-", StringComparison.Ordinal);
        return safe.Trim('-');
    }
}
