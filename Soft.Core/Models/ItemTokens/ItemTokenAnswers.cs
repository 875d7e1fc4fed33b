using Soft.Data;
using Soft.Evaluation;

namespace Soft.Models.ItemTokens;

/// <summary>
/// A model's answers when items are tokens: the most probable *items* after the prompt, from one forward pass over
/// the item tokens' logits. A free beam search may put end-of-sequence first and answer nothing (on a barely trained
/// base about a sixth of LastFM's training prompts did), which grounding can only count as a miss and which, as a
/// distilled target, teaches the model to fall silent; an item-token answer is an item by construction.
/// </summary>
public static class ItemTokenAnswers
{
    /// <summary>The <paramref name="count"/> most probable items per prompt, most probable first (ties to the lower index).</summary>
    /// <param name="model">The model.</param>
    /// <param name="prompts">Rendered prompts.</param>
    /// <param name="catalog">The catalogue whose item tokens the model has.</param>
    /// <param name="count">Answers per prompt.</param>
    /// <returns>Per prompt, (item, log-probability among the items) pairs.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The model has no item tokens for <paramref name="catalog"/>.</exception>
    public static IReadOnlyList<(int Item, double LogProbability)>[] Top(ILanguageModel model, IReadOnlyList<string> prompts, ItemCatalog catalog, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. model.NextTokenLogProbabilities(prompts, ItemTokenVocabulary.FirstId(model.Tokenizer, catalog), catalog.Count)
            .Select(row => (IReadOnlyList<(int, double)>)[.. CatalogRanking.TopK<float>(row, count, RankingDirection.HigherIsBetter).Select(i => (i, (double)row[i]))])];
    }
}
