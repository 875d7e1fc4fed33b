using Soft.Data;
using Soft.Models;
using Soft.Models.ItemTokens;

namespace Soft.Serving;

/// <summary>
/// Exact catalogue scoring with item tokens, as <c>ExactScoringEvaluator</c> does it: one forward pass per batch of
/// prompts, a log-softmax over the item tokens' logits at the last position. Batches of the evaluator's size give
/// the evaluator's numbers bit for bit.
/// </summary>
internal sealed class ItemTokenScorer : ICatalogScorer
{
    private readonly ILanguageModel _model;
    private readonly int _first;
    private readonly int _count;
    private readonly int _batchSize;

    /// <exception cref="InvalidOperationException">The model's tokenizer lacks the catalogue's item tokens.</exception>
    public ItemTokenScorer(ILanguageModel model, ItemCatalog catalog, int batchSize)
    {
        _model = model;
        _first = ItemTokenVocabulary.FirstId(model.Tokenizer, catalog);
        _count = catalog.Count;
        _batchSize = batchSize;
    }

    public int Reserve => 0;

    public double[][] Score(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        var scores = new List<double[]>(prompts.Count);
        for (int start = 0; start < prompts.Count; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = prompts.Skip(start).Take(_batchSize).ToList();
            scores.AddRange(_model.NextTokenLogProbabilities(batch, _first, _count).Select(row => Array.ConvertAll(row, v => (double)v)));
        }
        return [.. scores];
    }
}
