namespace Soft.Pipeline;

/// <summary>The lower-case names of <see cref="RunStage"/> that command lines take (<c>--rerun sft,eval</c>).</summary>
public static class RunStageNames
{
    /// <summary>Every stage's name, in run order: <c>base</c>, <c>items</c>, <c>sft</c>, <c>distill</c>, <c>soft</c>, <c>variants</c>, <c>eval</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<RunStage>().Select(Name)];

    /// <summary>The name of <paramref name="stage"/>.</summary>
    public static string Name(RunStage stage) => stage.ToString().ToLowerInvariant();

    /// <summary>The stage called <paramref name="name"/> (case-insensitive), or null when none is.</summary>
    public static RunStage? Parse(string name) =>
        Enum.GetValues<RunStage>().Cast<RunStage?>().FirstOrDefault(s => string.Equals(Name(s!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
