using Soft.Data;
using Soft.Generation;
using Soft.Models;

namespace Soft.Metrics.Constrained;

/// <summary>
/// The <see cref="TokenTrie"/> of a catalogue's titles for one tokenizer, and the decoding hook it gives: beam search
/// restricted to it can only finish on a catalogue title.
/// </summary>
/// <remarks>
/// Each title is encoded exactly as training encodes a target: the quoted title (<see cref="TitleQuoting.Quote"/>)
/// encoded on its own without BOS, followed by EOS. The prompt is encoded separately too (the model reads it, then
/// continues), so the trie's token ids are the ids the model learnt to emit after the prompt.
/// </remarks>
public sealed class CatalogTrie
{
    private readonly int[]?[] _allowed;

    private CatalogTrie(TokenTrie trie, int longestSequence, ItemCatalog catalog, ITextTokenizer tokenizer, bool itemTokens)
    {
        ItemTokens = itemTokens;
        Trie = trie;
        LongestSequence = longestSequence;
        Catalog = catalog;
        Tokenizer = tokenizer;
        _allowed = new int[]?[trie.NodeCount];
        AllowedTokens = new TrieHook(this);
    }

    /// <summary>The trie.</summary>
    public TokenTrie Trie { get; }

    /// <summary>The catalogue it was built from.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>The tokenizer it was built with.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>True when the leaves spell item tokens rather than quoted titles.</summary>
    public bool ItemTokens { get; }

    /// <summary>The most tokens any title takes, EOS included: the generation limit that lets every title finish.</summary>
    public int LongestSequence { get; }

    /// <summary>The decoding hook: after a generated prefix, the tokens that continue some title (nothing when none does).</summary>
    public IAllowedTokens AllowedTokens { get; }

    /// <summary>The tokens of one title as the trie holds them: the quoted title without BOS, then EOS.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="title">The raw title.</param>
    /// <returns>The token ids.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static int[] TitleTokens(ITextTokenizer tokenizer, string title)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(title);
        return ItemTrie.Sequence(tokenizer, TitleQuoting.Quote(title));
    }

    /// <summary>Builds the trie of every title of <paramref name="catalog"/>.</summary>
    /// <param name="catalog">The catalogue; every item becomes a leaf (twins share one).</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <returns>The trie.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">A title encodes to no token or contains the EOS id; the message names the item.</exception>
    public static CatalogTrie Build(ItemCatalog catalog, ITextTokenizer tokenizer) => Build(catalog, tokenizer, null);

    /// <summary>Builds the trie of every item of <paramref name="catalog"/> as <paramref name="template"/> writes items (titles or item tokens).</summary>
    /// <param name="catalog">The catalogue; every item becomes a leaf (twins share one).</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="template">How items are written; null for quoted titles.</param>
    /// <returns>The trie.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="tokenizer"/> is null.</exception>
    /// <exception cref="InvalidDataException">An item encodes to no token or contains the EOS id; the message names the item.</exception>
    public static CatalogTrie Build(ItemCatalog catalog, ITextTokenizer tokenizer, PromptTemplate? template)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var items = ItemTrie.Build(tokenizer, catalog, i => template is null ? TitleQuoting.Quote(catalog[i].Title) : template.ItemText(i, catalog));
        return new CatalogTrie(items.Trie, items.LongestSequence, catalog, tokenizer, template?.ItemTokens == true);
    }

    /// <summary>The items whose title the generated tokens spell (EOS excluded, as generation returns them).</summary>
    /// <param name="generated">Generated ids without the stop token.</param>
    /// <returns>Item ids ascending; empty when the tokens are not a whole title.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generated"/> is null.</exception>
    public int[] ItemsOf(IReadOnlyList<int> generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        int node = Trie.Root;
        foreach (int token in generated)
        {
            if (!Trie.TryStep(node, token, out node))
                return [];
        }
        return Trie.TryStep(node, Trie.EndOfSequenceToken, out int leaf) ? Trie.ItemsAt(leaf).ToArray() : [];
    }

    private int[] AllowedAt(int node)
    {
        // Per-node arrays are made once and shared: the hook is asked for every live beam at every step.
        var cached = Volatile.Read(ref _allowed[node]);
        if (cached is null)
        {
            cached = Trie.AllowedNext(node).ToArray();
            Volatile.Write(ref _allowed[node], cached);
        }
        return cached;
    }

    private sealed class TrieHook(CatalogTrie owner) : IAllowedTokens
    {
        public IReadOnlyList<int>? Allowed(int promptIndex, IReadOnlyList<int> generated)
        {
            // The hook only sees the prefix, so it walks it from the root: titles are a few dozen tokens, and each
            // step is one binary search over a node's sorted edges.
            int node = owner.Trie.Root;
            for (int i = 0; i < generated.Count; i++)
            {
                if (!owner.Trie.TryStep(node, generated[i], out node))
                    return [];
            }
            return owner.AllowedAt(node);
        }
    }
}
