namespace Soft.Runs;

/// <summary>
/// The content of a run folder's <c>manifest.json</c>: which configuration the run belongs to and which stages
/// have finished, with checksums of what they wrote. A stage counts as done only if its record is here and
/// every file still matches its checksum.
/// </summary>
internal sealed class RunManifest
{
    /// <summary>The layout this version of Soft writes: 4 since an item-token run's answers (grounding, d, D̂) are its most
    /// probable items, never an empty beam; 3 since its item table holds item-token vectors and every epoch records both
    /// losses (2: item tables of titles; 2 named stages by the pipeline's stage keys and made
    /// the ablation a variant; format 1 named evaluations by raw method names and the ablation <c>soft-distilled-only</c>).</summary>
    public const int CurrentFormatVersion = 4;

    /// <summary>The manifest format; bumped when the layout changes incompatibly.</summary>
    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>SHA-256 of the resolved configuration the run was started with.</summary>
    public string ConfigHash { get; set; } = "";

    /// <summary>Finished stages by name (e.g. <c>items</c>, <c>sft/epoch-2</c>, <c>distill</c>).</summary>
    public Dictionary<string, StageRecord> Stages { get; set; } = new(StringComparer.Ordinal);
}
