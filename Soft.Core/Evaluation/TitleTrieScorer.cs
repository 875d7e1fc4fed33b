using Soft.Data;
using Soft.Generation;
using Soft.Models;

namespace Soft.Evaluation;

/// <summary>
/// Exact scores of a catalogue's titles: for each prompt, every item's summed log-probability of its title and EOS
/// (<see cref="PromptTemplate.ItemText"/> encoded without BOS, then EOS), computed over the trie of the distinct
/// titles (<see cref="ILanguageModel.TrieLogLikelihoods"/>), so a prefix shared by many titles runs once per prompt
/// and prompts run in batches over their shared KV caches. The exact evaluator and serving score titles with it.
/// </summary>
/// <remarks>
/// Twin titles reach the same leaf of the catalogue's token trie and get the same score. Items left out by the filter
/// score −∞ and cost nothing.
/// </remarks>
public sealed class TitleTrieScorer
{
    // Per catalogue item, its title's leaf in the trie, or -1 when the filter leaves it out.
    private readonly int[] _leaf;

    /// <summary>Builds the trie of the titles of <paramref name="catalog"/> as <paramref name="template"/> writes them.</summary>
    /// <param name="tokenizer">The scored model's tokenizer.</param>
    /// <param name="template">How an item is written as a target.</param>
    /// <param name="catalog">The items.</param>
    /// <param name="scored">Which catalogue indices to score; null for all.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="scored"/> is null.</exception>
    /// <exception cref="InvalidDataException">An item's text encodes to no token, or to one that is the EOS id; the message names the item.</exception>
    public TitleTrieScorer(ITextTokenizer tokenizer, PromptTemplate template, ItemCatalog catalog, Func<int, bool>? scored = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(catalog);
        var items = ItemTrie.Build(tokenizer, catalog, i => template.ItemText(i, catalog), scored);
        Trie = items.Trie;
        LongestSequence = items.LongestSequence;
        _leaf = items.Leaves;
        Catalog = catalog;
    }

    /// <summary>The catalogue the scores are for.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>The trie of the distinct scored titles, each followed by EOS.</summary>
    public TokenTrie Trie { get; }

    /// <summary>The most tokens a scored title takes, EOS included: the positions a prompt must leave free.</summary>
    public int LongestSequence { get; }

    /// <summary>For each prompt, one score per catalogue item (higher is better; −∞ for items not scored).</summary>
    /// <param name="model">The model to score with; its tokenizer must be the one the scorer was built with.</param>
    /// <param name="prompts">The prompts, as text.</param>
    /// <param name="cancellationToken">Checked between forward passes.</param>
    /// <returns>Scores indexed like <see cref="Catalog"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public double[][] Score(ILanguageModel model, IReadOnlyList<string> prompts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
            return [];
        var nodes = model.TrieLogLikelihoods(prompts, Trie, cancellationToken);
        return [.. nodes.Select(n => Array.ConvertAll(_leaf, leaf => leaf < 0 ? double.NegativeInfinity : n[leaf]))];
    }
}
