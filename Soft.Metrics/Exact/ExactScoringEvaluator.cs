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
    /// <summary>The evaluator's name in reports and file names.</summary>
    public const string EvaluatorName = "exact";

    // Prompts per call into the model on the item-token path; the model chunks internally as well.
    private const int BatchSize = 64;

    /// <inheritdoc/>
    public string Name => EvaluatorName;

    /// <inheritdoc/>
    public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = request.Dataset.Catalog;
        ArgumentOutOfRangeException.ThrowIfLessThan(request.KeepTopItems, 1, nameof(request));
        for (int i = 0; i < request.Samples.Count; i++)
        {
            var sample = request.Samples[i];
            if ((uint)sample.Target >= (uint)catalog.Count || sample.History.Any(h => (uint)h >= (uint)catalog.Count))
                throw new ArgumentException($"Sample {i} (user '{sample.UserId}') refers to an item outside the catalogue of {catalog.Count} items.", nameof(request));
        }
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

    /// <summary>
    /// The 0-based rank of <paramref name="target"/> when items are ordered by score (higher first, ties by lower
    /// index), and the first <paramref name="keep"/> items of that order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is not an index of <paramref name="scores"/>.</exception>
    public static (int Rank, int[] Top) Rank(IReadOnlyList<double> scores, int target, int keep)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, scores.Count);
        double own = scores[target];
        int rank = 0;
        for (int j = 0; j < scores.Count; j++)
        {
            if (scores[j] > own || (scores[j] == own && j < target))
                rank++;
        }
        var order = new int[scores.Count];
        for (int j = 0; j < order.Length; j++)
            order[j] = j;
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return (rank, order[..Math.Min(keep, order.Length)]);
    }
}
