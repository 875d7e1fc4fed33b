namespace Soft.Runs;

/// <summary>One setting in which a run folder's <c>config.json</c> differs from the configuration asked for.</summary>
/// <param name="Setting">The setting's path in <c>config.json</c>, e.g. <c>options.Seed</c> or <c>dataset.titles</c>.</param>
/// <param name="Old">The value the folder's run has, as JSON (shortened); null when it had no such setting.</param>
/// <param name="New">The value asked for, as JSON (shortened); null when the new configuration has no such setting.</param>
public sealed record RunConfigDifference(string Setting, string? Old, string? New)
{
    /// <summary>"options.Seed: 42 → 2".</summary>
    public override string ToString() => $"{Setting}: {Old ?? "(none)"} → {New ?? "(none)"}";
}
