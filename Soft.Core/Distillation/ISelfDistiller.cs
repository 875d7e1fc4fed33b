using Soft.Runs;

namespace Soft.Distillation;

/// <summary>
/// Builds SOFT's auxiliary dataset D̂: the fine-tuned model answers its own training prompts, and its answers
/// become the distilled targets (easier to fit than the real next items, yet carrying the preference signal).
/// </summary>
/// <remarks>
/// Called synchronously from the pipeline's worker thread. Must return exactly one example per requested sample,
/// in order, honour cancellation between batches, and be deterministic for a given model, samples and seed.
/// </remarks>
public interface ISelfDistiller
{
    /// <summary>Short stable name used in reports, e.g. <c>beam</c>.</summary>
    string Name { get; }

    /// <summary>Answers every prompt of <paramref name="request"/> and returns D̂.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IReadOnlyList<DistilledExample> Distill(DistillationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// What identifies this distiller in a run folder's configuration hash: a change here makes a folder that holds a
    /// run with the old value refuse the run instead of reusing its stages. Default:
    /// the type's full name and the public properties as JSON. Override it when behaviour
    /// depends on private settings, for example <c>public JsonNode Fingerprint() =&gt; new JsonObject { ["type"] = GetType().FullName, ["step"] = _step };</c>.
    /// </summary>
    System.Text.Json.Nodes.JsonNode Fingerprint() => Runs.PartFingerprint.Of(this);
}
