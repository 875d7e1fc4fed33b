using Soft.Data;
using Soft.Evaluation;
using Soft.Models;

namespace Soft.Serving;

/// <summary>
/// Exact scoring of titles for serving: each candidate's summed log-probability of its quoted title and EOS given the
/// prompt, over the trie of the candidates' titles (<see cref="TitleTrieScorer"/>, the exact evaluator's code), so the
/// run's <c>exact</c> numbers come back. A candidate filter shrinks the trie, because only allowed items are scored;
/// docs/BENCHMARKS.md measures the cost per prompt against the catalogue's size.
/// </summary>
internal sealed class TitleScorer(ILanguageModel model, PromptTemplate template, ItemCatalog catalog, Func<int, bool> scored) : ICatalogScorer
{
    private readonly TitleTrieScorer _trie = new(model.Tokenizer, template, catalog, scored);

    public int Reserve => _trie.LongestSequence;

    public double[][] Score(IReadOnlyList<string> prompts, CancellationToken cancellationToken) =>
        _trie.Score(model, prompts, cancellationToken);
}
