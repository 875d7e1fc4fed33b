namespace Soft.Generation;

/// <summary>
/// An immutable prefix tree over the token sequences of catalogue titles, each ending with the end-of-sequence
/// token: it tells a constrained beam search which tokens may follow a prefix so that every finished beam is a
/// catalogue title. Built from (token sequence, item id) pairs, one per catalogue title.
/// </summary>
/// <remarks>
/// <para>
/// Nodes are identified by int handles: <see cref="Root"/> is the empty prefix, and <see cref="TryStep"/> moves
/// one token down. A beam can keep its node handle and step once per generated token instead of walking its
/// whole prefix again; the prefix overloads walk from the root.
/// </para>
/// <para>
/// A prefix is complete when it ends with the end-of-sequence token; complete prefixes are leaves, so nothing
/// may follow them. Allowed tokens and item ids come back as sorted read-only spans over the trie's own arrays:
/// no allocation per call.
/// </para>
/// <para>
/// Storage is compressed-sparse-row: per node an offset into a token array of its outgoing edges (sorted, found by
/// binary search) and an offset into an item array, about 12 bytes a node; 5,000 titles of 20 tokens are at
/// most 100,000 nodes. The trie is safe to read from many threads.
/// </para>
/// </remarks>
public sealed class TokenTrie
{
    // Node n's outgoing edges are edgeTokens[firstEdge[n] .. firstEdge[n + 1]), sorted; edge e leads to node e + 1.
    private readonly int[] firstEdge;
    private readonly int[] edgeTokens;
    // Node n's item ids are itemIds[firstItem[n] .. firstItem[n + 1]), sorted; only complete nodes have any.
    private readonly int[] firstItem;
    private readonly int[] itemIds;

    internal TokenTrie(int endOfSequenceToken, int[] firstEdge, int[] edgeTokens, int[] firstItem, int[] itemIds)
    {
        EndOfSequenceToken = endOfSequenceToken;
        this.firstEdge = firstEdge;
        this.edgeTokens = edgeTokens;
        this.firstItem = firstItem;
        this.itemIds = itemIds;
        int complete = 0;
        for (int n = 0; n < NodeCount; n++)
        {
            if (firstItem[n + 1] > firstItem[n])
                complete++;
        }

        DistinctSequenceCount = complete;
    }

    /// <summary>The handle of the root node, the empty prefix.</summary>
    public int Root => 0;

    /// <summary>The token id every sequence ends with.</summary>
    public int EndOfSequenceToken { get; }

    /// <summary>The number of (sequence, item id) pairs the trie was built from.</summary>
    public int SequenceCount => itemIds.Length;

    /// <summary>The number of distinct sequences (complete prefixes); smaller than <see cref="SequenceCount"/> when titles repeat.</summary>
    public int DistinctSequenceCount { get; }

    /// <summary>The number of nodes, the root included.</summary>
    public int NodeCount => firstEdge.Length - 1;

    /// <summary>Moves from <paramref name="node"/> along <paramref name="token"/>.</summary>
    /// <param name="node">A node handle of this trie.</param>
    /// <param name="token">The next token.</param>
    /// <param name="child">The node reached, or -1 when <paramref name="token"/> is not allowed.</param>
    /// <returns>Whether <paramref name="token"/> is allowed after <paramref name="node"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node of this trie.</exception>
    public bool TryStep(int node, int token, out int child)
    {
        CheckNode(node);
        int start = firstEdge[node];
        int index = Array.BinarySearch(edgeTokens, start, firstEdge[node + 1] - start, token);
        child = index >= 0 ? index + 1 : -1;
        return index >= 0;
    }

    /// <summary>Finds the node of <paramref name="prefix"/>.</summary>
    /// <param name="prefix">Token ids from the start of a title.</param>
    /// <param name="node">The node reached, or -1 when no title starts with <paramref name="prefix"/>.</param>
    /// <returns>Whether some title starts with <paramref name="prefix"/>.</returns>
    public bool TryFind(ReadOnlySpan<int> prefix, out int node)
    {
        node = Root;
        foreach (int token in prefix)
        {
            if (!TryStep(node, token, out node))
                return false;
        }

        return true;
    }

    /// <summary>The tokens allowed after <paramref name="node"/>, ascending.</summary>
    /// <param name="node">A node handle of this trie.</param>
    /// <returns>The allowed token ids; empty when the node is complete.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node of this trie.</exception>
    public ReadOnlySpan<int> AllowedNext(int node)
    {
        CheckNode(node);
        return edgeTokens.AsSpan(firstEdge[node], firstEdge[node + 1] - firstEdge[node]);
    }

    /// <summary>The tokens allowed after <paramref name="prefix"/>, ascending.</summary>
    /// <param name="prefix">Token ids from the start of a title.</param>
    /// <returns>The allowed token ids; empty when the prefix is complete or starts no title.</returns>
    public ReadOnlySpan<int> AllowedNext(ReadOnlySpan<int> prefix) =>
        TryFind(prefix, out int node) ? AllowedNext(node) : [];

    /// <summary>Whether <paramref name="node"/> ends a title (its last token is the end-of-sequence token).</summary>
    /// <param name="node">A node handle of this trie.</param>
    /// <returns>True for a complete title.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node of this trie.</exception>
    public bool IsComplete(int node)
    {
        CheckNode(node);
        return firstItem[node + 1] > firstItem[node];
    }

    /// <summary>Whether <paramref name="prefix"/> is a whole title, end-of-sequence token included.</summary>
    /// <param name="prefix">Token ids from the start of a title.</param>
    /// <returns>True for a complete title; false for a proper prefix or an unknown sequence.</returns>
    public bool IsComplete(ReadOnlySpan<int> prefix) => TryFind(prefix, out int node) && IsComplete(node);

    /// <summary>The ids of the items whose title ends at <paramref name="node"/>, ascending.</summary>
    /// <param name="node">A node handle of this trie.</param>
    /// <returns>The item ids; several when items share a title, empty when the node is not complete.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node of this trie.</exception>
    public ReadOnlySpan<int> ItemsAt(int node)
    {
        CheckNode(node);
        return itemIds.AsSpan(firstItem[node], firstItem[node + 1] - firstItem[node]);
    }

    /// <summary>The ids of the items whose title is exactly <paramref name="sequence"/>, ascending.</summary>
    /// <param name="sequence">A title's token ids, end-of-sequence token included.</param>
    /// <returns>The item ids; empty when <paramref name="sequence"/> is not a complete title.</returns>
    public ReadOnlySpan<int> ItemsAt(ReadOnlySpan<int> sequence) =>
        TryFind(sequence, out int node) ? ItemsAt(node) : [];

    /// <summary>The children of <paramref name="node"/>: handles first .. first + count − 1, in token order.</summary>
    internal (int First, int Count) Children(int node) => (firstEdge[node] + 1, firstEdge[node + 1] - firstEdge[node]);

    /// <summary>The token on the edge into <paramref name="node"/> (not the root).</summary>
    internal int TokenInto(int node) => edgeTokens[node - 1];

    private void CheckNode(int node)
    {
        if ((uint)node >= (uint)NodeCount)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Node handles of this trie are in [0, {NodeCount}).");
    }
}
