using Soft.Data;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.ItemTokens;

namespace Soft.Metrics.Exact;

/// <summary>
/// Ranks <i>every</i> catalogue item by the model's log-probability of that item given the prompt: no decoding, no
/// grounding, no beam that can miss the target. With item tokens (<see cref="PromptTemplate.ItemTokens"/>) that is
/// one forward pass per batch of prompts, a log-softmax over the item tokens' logits. With titles it is the summed
/// log-probability of each distinct title's tokens and EOS, the prompt run once and its KV cache shared by all titles
/// (see <see cref="ILanguageModel.ContinuationLogLikelihoods"/>): exact, but its cost per prompt grows with the
/// catalogue's total title tokens (docs/BENCHMARKS.md measures it).
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
        var scorer = request.Template.ItemTokens ? null : TitleSequences(request.Model.Tokenizer, request.Template, catalog);
        int first = request.Template.ItemTokens ? ItemTokenVocabulary.FirstId(request.Model.Tokenizer, catalog) : -1;
        for (int start = 0; start < request.Samples.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = request.Samples.Skip(start).Take(BatchSize).ToList();
            var prompts = batch.Select(s => request.Template.Render(s, catalog).Prompt).ToList();
            var scores = scorer is null
                ? request.Model.NextTokenLogProbabilities(prompts, first, catalog.Count).Select(row => Array.ConvertAll(row, v => (double)v)).ToArray()
                : [.. prompts.Select(p => scorer.Scores(request.Model, p, cancellationToken))];
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
        (CatalogueRanking.RankOf<double>(scores, target, RankingDirection.HigherIsBetter), CatalogueRanking.TopK<double>(scores, keep, RankingDirection.HigherIsBetter));

    private static TitleScorer TitleSequences(ITextTokenizer tokenizer, PromptTemplate template, ItemCatalog catalog)
    {
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var sequences = new List<IReadOnlyList<int>>();
        var slot = new int[catalog.Count];
        for (int i = 0; i < catalog.Count; i++)
        {
            string text = template.ItemText(i, catalog);
            if (!distinct.TryGetValue(text, out int s))
            {
                distinct[text] = s = sequences.Count;
                sequences.Add([.. tokenizer.Encode(text, addBos: false), tokenizer.EosTokenId]);
            }
            slot[i] = s;
        }
        return new TitleScorer(sequences, slot);
    }

    // Each distinct title once; twins read their shared title's score.
    private sealed class TitleScorer(IReadOnlyList<IReadOnlyList<int>> sequences, int[] slot)
    {
        public double[] Scores(ILanguageModel model, string prompt, CancellationToken cancellationToken)
        {
            var distinct = model.ContinuationLogLikelihoods(prompt, sequences, cancellationToken);
            return Array.ConvertAll(slot, s => distinct[s]);
        }
    }
}
