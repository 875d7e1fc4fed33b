namespace Soft.Runs;

/// <summary>A finished stage of a run, as recorded in <c>manifest.json</c>.</summary>
internal sealed class StageRecord
{
    /// <summary>When the stage finished (UTC).</summary>
    public DateTimeOffset CompletedAt { get; set; }

    /// <summary>Files the stage produced, relative to the run folder, with their SHA-256 (lower-case hex).</summary>
    public Dictionary<string, string> Files { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Small facts about the stage worth keeping (best epoch, seconds taken, ...).</summary>
    public Dictionary<string, string> Info { get; set; } = new(StringComparer.Ordinal);
}
