namespace Soft.Generation;

/// <summary>
/// Collects (token sequence, item id) pairs, one per catalogue title, and builds the immutable
/// <see cref="TokenTrie"/> that constrains beam search to catalogue titles.
/// </summary>
/// <remarks>
/// Every sequence must be a tokenised title followed by the end-of-sequence token, exactly the ids the model is
/// trained to emit. Ending every sequence with that token, and allowing it nowhere else, makes each title a
/// distinct leaf even when it is a prefix of another title ("Halo" versus "Halo 2"). Titles shared by several
/// items reach the same leaf, which then holds all their ids.
/// </remarks>
internal sealed class TokenTrieBuilder
{
    // A pointer trie while collecting; Build compacts it into flat arrays.
    private readonly List<Dictionary<int, int>?> children = [null];
    private readonly List<List<int>?> items = [null];

    /// <summary>Creates an empty builder.</summary>
    /// <param name="endOfSequenceToken">The token id every sequence ends with (the tokenizer's EOS).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="endOfSequenceToken"/> is negative.</exception>
    public TokenTrieBuilder(int endOfSequenceToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(endOfSequenceToken);
        EndOfSequenceToken = endOfSequenceToken;
    }

    /// <summary>The token id every sequence ends with.</summary>
    public int EndOfSequenceToken { get; }

    /// <summary>The number of (sequence, item id) pairs added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one title: its token ids ending with <see cref="EndOfSequenceToken"/>, and its item id.</summary>
    /// <param name="tokens">The title's token ids followed by the end-of-sequence token.</param>
    /// <param name="itemId">The item id the title stands for; several items may share a title.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="tokens"/> is empty, holds nothing before the end-of-sequence token, does not end with it,
    /// holds it before the end, or this exact pair was added before.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id or <paramref name="itemId"/> is negative.</exception>
    public TokenTrieBuilder Add(ReadOnlySpan<int> tokens, int itemId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(itemId);
        Validate(tokens);

        int node = 0;
        foreach (int token in tokens)
        {
            var map = children[node] ??= [];
            if (!map.TryGetValue(token, out int child))
            {
                child = children.Count;
                children.Add(null);
                items.Add(null);
                map.Add(token, child);
            }

            node = child;
        }

        var leaf = items[node] ??= [];
        if (leaf.Contains(itemId))
            throw new ArgumentException($"Item {itemId} was already added with this token sequence.", nameof(itemId));
        leaf.Add(itemId);
        Count++;
        return this;
    }

    /// <summary>Builds the trie from the pairs added so far; the builder stays usable.</summary>
    /// <returns>An immutable trie.</returns>
    public TokenTrie Build()
    {
        int nodeCount = children.Count;
        var firstEdge = new int[nodeCount + 1];
        var edgeTokens = new int[nodeCount - 1];
        var firstItem = new int[nodeCount + 1];
        var itemIds = new int[Count];

        // Breadth-first renumbering that gives each node's children consecutive ids in token order. Then node
        // n > 0 is reached by edge n − 1, so the trie needs no array of edge targets.
        var oldIdOf = new int[nodeCount];
        int edges = 0, itemCount = 0;
        for (int n = 0; n < nodeCount; n++)
        {
            int old = oldIdOf[n];
            firstEdge[n] = edges;
            if (children[old] is { } map)
            {
                foreach (var (token, child) in map.OrderBy(kv => kv.Key))
                {
                    edgeTokens[edges] = token;
                    oldIdOf[edges + 1] = child;
                    edges++;
                }
            }

            firstItem[n] = itemCount;
            if (items[old] is { } ids)
            {
                ids.CopyTo(itemIds, itemCount);
                Array.Sort(itemIds, itemCount, ids.Count);
                itemCount += ids.Count;
            }
        }

        firstEdge[nodeCount] = edges;
        firstItem[nodeCount] = itemCount;
        return new TokenTrie(EndOfSequenceToken, firstEdge, edgeTokens, firstItem, itemIds);
    }

    private void Validate(ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
            throw new ArgumentException("A token sequence must not be empty.", nameof(tokens));
        if (tokens[^1] != EndOfSequenceToken)
            throw new ArgumentException($"A token sequence must end with the end-of-sequence token {EndOfSequenceToken}.", nameof(tokens));
        if (tokens.Length == 1)
            throw new ArgumentException("A token sequence must hold at least one token before the end-of-sequence token.", nameof(tokens));
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"Token ids must be non-negative (position {i}).");
            if (tokens[i] == EndOfSequenceToken && i < tokens.Length - 1)
                throw new ArgumentException($"The end-of-sequence token {EndOfSequenceToken} may only end a sequence (found at position {i}).", nameof(tokens));
        }
    }
}
