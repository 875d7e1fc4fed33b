using Soft.Runs;

namespace Soft.Evaluation;

/// <summary>
/// Ranks the catalogue for recommendation samples with a language model and scores the ranking. Implementations
/// (BIGRec's L2 grounding, trie-constrained beam search, or your own) differ in how a model's answer becomes a
/// ranking; all report the same metric names (<c>HR@K</c>, <c>NDCG@K</c>, <c>MRR</c>, ...), so that the pipeline
/// can validate, test and compare methods with any of them.
/// </summary>
/// <remarks>
/// Evaluators are called synchronously from the pipeline's worker thread (TorchSharp's dispose scopes are
/// thread-bound); they must honour the cancellation token between batches and must not change the model's
/// weights. With the same model, samples and seed they must return the same result.
/// </remarks>
public interface IRecommendationEvaluator
{
    /// <summary>Short stable name used in reports and file names, e.g. <c>grounding</c>.</summary>
    string Name { get; }

    /// <summary>Ranks the catalogue for every sample of <paramref name="request"/> and computes the metrics.</summary>
    /// <exception cref="ArgumentException">The request is inconsistent (e.g. a sample's item is not in the catalogue).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// What identifies this evaluator in a run folder's configuration hash: a change here makes a folder that holds a
    /// run with the old value refuse the run instead of reusing its stages. Default:
    /// the type's full name and the public properties as JSON. Override it when behaviour
    /// depends on private settings, for example <c>public JsonNode Fingerprint() =&gt; new JsonObject { ["type"] = GetType().FullName, ["step"] = _step };</c>.
    /// </summary>
    System.Text.Json.Nodes.JsonNode Fingerprint() => Runs.PartFingerprint.Of(this);
}
