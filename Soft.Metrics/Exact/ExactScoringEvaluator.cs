using Soft.Data;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.ItemTokens;

namespace Soft.Metrics.Exact;

/// <summary>
/// Ranks <i>every</i> catalogue item by the model's log-probability of that item given the prompt: no decoding, no
/// grounding, no beam that can miss the target. With item tokens (<see cref="PromptTemplate.ItemTokens"/>) that is
/// one forward pass per batch of prompts, a log-softmax over the item tokens' logits. With titles it is the summed
/// log-probability of each distinct title's tokens and EOS, computed over the catalogue's title trie
/// (<see cref="TitleTrieScorer"/>): a prefix shared by many titles runs once per prompt, and prompts run in batches
/// over their shared KV caches. Exact; its cost per prompt grows with the trie's nodes, not with the titles' total
/// tokens (docs/BENCHMARKS.md measures it).
/// </summary>
/// <remarks>
/// Ties are broken by catalogue index (the lower index ranks first), so the ranking is a total order and the same
/// model gives the same ranks on every run. Twin titles score the same and so sit next to each other in index order.
/// </remarks>
public sealed class ExactScoringEvaluator : IRecommendationEvaluator
{
    // Prompts per call into the model on the item-token path; the model chunks internally as well.
    private const int BatchSize = 64;

    /// <inheritdoc/>
    public string Name => EvaluatorNames.Exact;

    /// <inheritdoc/>
    public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = request.Dataset.Catalog;
        ArgumentOutOfRangeException.ThrowIfLessThan(request.KeepTopItems, 1, nameof(request));
        catalog.CheckSamples(request.Samples, nameof(request));
        var accumulator = new RankingMetricsAccumulator(catalog.Count, request.Cutoffs);
        int keep = Math.Min(catalog.Count, Math.Max(request.KeepTopItems, accumulator.Cutoffs[^1]));
        var predictions = new List<SamplePrediction>(request.Samples.Count);
        var scorer = request.Template.ItemTokens ? null : new TitleTrieScorer(request.Model.Tokenizer, request.Template, catalog);
        int first = request.Template.ItemTokens ? ItemTokenVocabulary.FirstId(request.Model.Tokenizer, catalog) : -1;
        for (int start = 0; start < request.Samples.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = request.Samples.Skip(start).Take(BatchSize).ToList();
            var prompts = batch.Select(s => request.Template.Render(s, catalog).Prompt).ToList();
            var scores = scorer is null
                ? request.Model.NextTokenLogProbabilities(prompts, first, catalog.Count).Select(row => Array.ConvertAll(row, v => (double)v)).ToArray()
                : scorer.Score(request.Model, prompts, cancellationToken);
            for (int i = 0; i < batch.Count; i++)
            {
                var (rank, top) = Rank(scores[i], batch[i].Target, keep);
                accumulator.Add(rank, top);
                predictions.Add(new SamplePrediction(start + i, batch[i].UserId, batch[i].Target, rank,
                    [.. top.Take(request.KeepTopItems)], TitleQuoting.Quote(catalog[top[0]].Title)));
            }
            request.Progress?.Report((start + batch.Count, request.Samples.Count));
        }
        return new EvaluationResult(Name, accumulator.Result().Values, predictions);
    }

    // The target's 0-based rank and the first `keep` items, by the catalogue-wide rule (higher first, NaN last, ties by the lower index).
    private static (int Rank, int[] Top) Rank(double[] scores, int target, int keep) =>
        (CatalogRanking.RankOf<double>(scores, target, RankingDirection.HigherIsBetter), CatalogRanking.TopK<double>(scores, keep, RankingDirection.HigherIsBetter));
}
