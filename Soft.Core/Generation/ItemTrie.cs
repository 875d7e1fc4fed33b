using Soft.Data;
using Soft.Models;

namespace Soft.Generation;

/// <summary>
/// The <see cref="TokenTrie"/> of a catalogue's items, each written as a target (<see cref="PromptTemplate.ItemText"/>
/// or a quoted title), encoded on its own without BOS and followed by EOS: the ids a model learnt to emit after a
/// prompt. The one construction behind the exact scorer (<see cref="Evaluation.TitleTrieScorer"/>) and the constrained
/// beam's <c>CatalogTrie</c> (Soft.Metrics, through InternalsVisibleTo).
/// </summary>
/// <remarks>
/// Twins (items written the same way) reach one leaf, which holds all their catalogue indices.
/// </remarks>
internal sealed class ItemTrie
{
    private ItemTrie(TokenTrie trie, int[] leaves, int longestSequence)
    {
        Trie = trie;
        Leaves = leaves;
        LongestSequence = longestSequence;
    }

    /// <summary>The trie; its item ids are catalogue indices.</summary>
    public TokenTrie Trie { get; }

    /// <summary>Per catalogue index, the leaf of the item's sequence, or -1 when the item was left out.</summary>
    public int[] Leaves { get; }

    /// <summary>The most tokens any included item takes, EOS included.</summary>
    public int LongestSequence { get; }

    /// <summary>The sequence the trie holds for an item written as <paramref name="text"/>: its tokens without BOS, then EOS.</summary>
    public static int[] Sequence(ITextTokenizer tokenizer, string text) => [.. tokenizer.Encode(text, addBos: false), tokenizer.EosTokenId];

    /// <summary>Builds the trie of the items <paramref name="included"/> keeps (all when null), each written as <paramref name="text"/> gives it.</summary>
    /// <exception cref="InvalidDataException">An item's text encodes to no token, or to one that is the EOS id; the message names the item.</exception>
    public static ItemTrie Build(ITextTokenizer tokenizer, ItemCatalog catalog, Func<int, string> text, Func<int, bool>? included = null)
    {
        var builder = new TokenTrieBuilder(tokenizer.EosTokenId);
        var sequences = new int[catalog.Count][];
        int longest = 0;
        for (int i = 0; i < catalog.Count; i++)
        {
            if (included is not null && !included(i))
                continue;
            string written = text(i);
            sequences[i] = Sequence(tokenizer, written);
            // Checked here rather than left to the builder, so that the message names the item and its text.
            if (sequences[i].Length == 1 || Array.IndexOf(sequences[i], tokenizer.EosTokenId) < sequences[i].Length - 1)
                throw new InvalidDataException($"Item '{catalog[i].Id}' (catalogue index {i}) is written as '{written}', which encodes to no token or to the EOS id {tokenizer.EosTokenId}; it cannot be an answer.");
            longest = Math.Max(longest, sequences[i].Length);
            builder.Add(sequences[i], i);
        }
        var trie = builder.Build();
        var leaves = new int[catalog.Count];
        for (int i = 0; i < catalog.Count; i++)
            leaves[i] = sequences[i] is { } sequence && trie.TryFind(sequence, out int leaf) ? leaf : -1;
        return new ItemTrie(trie, leaves, longest);
    }
}
