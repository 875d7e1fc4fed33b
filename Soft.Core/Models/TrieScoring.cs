using Soft.Generation;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// The log-probability of every prefix of a <see cref="TokenTrie"/> after each of a batch of prompts, computed over the
/// trie itself: each node's token runs once per prompt however many titles share it, and all nodes of a chunk run in
/// one forward pass over the prompts' KV caches, with a tree attention mask (a node sees the prompt and its own
/// ancestors) and positions by depth.
/// </summary>
/// <remarks>
/// <para>
/// Why a tree mask rather than a walk level by level that extends cached states: a walk needs one forward pass per
/// depth and copies every live node's cache at each level (an index_select of prompt + depth keys per node), and
/// TorchSharp pays per native call; the tree mask needs a handful of large calls and never copies the prompt cache
/// per node (the nodes' keys are concatenated after it once per chunk).
/// </para>
/// <para>
/// The fed nodes (the root's descendants that have children) are cut into chunks in depth-first order. A chunk is a
/// contiguous run of that order, so every ancestor of a chunk node is in the chunk or is an ancestor of its first
/// node: that path is run again in front of the chunk (at most the trie's depth extra tokens). Only the chunk's own
/// nodes are scored; the logits of a node give its children's edges.
/// </para>
/// </remarks>
internal static class TrieScoring
{
    // Elements per forward pass: the logits of a chunk (prompts × nodes × vocab) and SDPA's attention scores
    // (prompts × heads × queries × keys) dominate memory; both stay under 64-128 MiB of fp32.
    private const long LogitBudget = 1L << 24;
    private const long AttentionBudget = 1L << 25;
    public const int MaxPrompts = 16;
    // Every query of a chunk also scores the chunk's other keys, mostly masked: small chunks waste less attention,
    // large ones make fewer native calls. 64 was fastest of 32-1024 for stories260K and the 96×4 scratch model on
    // LastFM prompts of 80-160 tokens (docs/BENCHMARKS.md, exact scoring).
    public const int MaxChunk = 64;
    private const int MinChunk = 16;

    /// <summary>Per prompt, per trie node, log p(the tokens from the root to the node | prompt); the root's entry is 0.</summary>
    /// <param name="module">The network, in eval mode under no_grad.</param>
    /// <param name="prompts">Prompt token ids (each non-empty), used as given.</param>
    /// <param name="trie">The continuations.</param>
    /// <param name="padId">Padding id for left-padded prompt batches.</param>
    /// <param name="shape">Vocabulary rows of the head, attention heads and position limit of the model.</param>
    /// <param name="device">Where inputs go.</param>
    /// <param name="cancellationToken">Checked before every forward pass.</param>
    /// <param name="maxChunk">Most fed nodes per forward pass (tests make it small to cross chunk borders).</param>
    /// <param name="maxPrompts">Most prompts per batch.</param>
    /// <exception cref="ArgumentException">A prompt plus the deepest continuation runs past the model's positions.</exception>
    public static double[][] Run(CausalLMModule module, IReadOnlyList<IReadOnlyList<int>> prompts, TokenTrie trie, int padId,
        (int Vocabulary, int Heads, int MaxPositions) shape, Device device, CancellationToken cancellationToken,
        int maxChunk = MaxChunk, int maxPrompts = MaxPrompts)
    {
        var layout = new Layout(trie);
        int longest = prompts.Count == 0 ? 0 : prompts.Max(p => p.Count);
        if (longest + layout.MaxFedDepth > shape.MaxPositions)
        {
            throw new ArgumentException(
                $"A prompt of {longest} tokens followed by continuations of up to {layout.MaxFedDepth + 1} tokens runs past the model's {shape.MaxPositions} positions.",
                nameof(prompts));
        }

        var results = new double[prompts.Count][];
        int batch = Math.Min(maxPrompts, Math.Max(1, prompts.Count));
        for (int start = 0; start < prompts.Count; start += batch)
        {
            var rows = prompts.Skip(start).Take(batch).ToList();
            var scores = RunBatch(module, rows, layout, padId, shape, device, cancellationToken, maxChunk);
            for (int i = 0; i < rows.Count; i++)
                results[start + i] = scores[i];
        }
        return results;
    }

    private static double[][] RunBatch(CausalLMModule module, List<IReadOnlyList<int>> prompts, Layout layout, int padId,
        (int Vocabulary, int Heads, int MaxPositions) shape, Device device, CancellationToken cancellationToken, int maxChunk)
    {
        int b = prompts.Count;
        var trie = layout.Trie;
        var edges = new double[b][];
        for (int i = 0; i < b; i++)
            edges[i] = new double[trie.NodeCount];

        cancellationToken.ThrowIfCancellationRequested();
        using var cache = new KvCache(module.LayerCount);
        using var outer = NewDisposeScope();
        var (ids, padding) = TokenBatch.LeftPad(prompts, padId, device); // (B, P)
        long promptLength = ids.shape[1];
        var last = module.Forward(ids, padding, cache).select(1, -1); // (B, D)
        var (rootFirst, rootCount) = trie.Children(trie.Root);
        var rootTokens = tensor(Enumerable.Range(rootFirst, rootCount).Select(n => (long)trie.TokenInto(n)).ToArray(), device: device);
        var rootEdges = nn.functional.log_softmax(module.Logits(last).to(ScalarType.Float32), 1).index_select(1, rootTokens); // (B, children)
        Scatter(rootEdges, edges, [.. Enumerable.Range(rootFirst, rootCount)]);

        var prefix = cache.AsPrefix();
        var lengths = tensor(prompts.Select(p => (long)p.Count).ToArray(), device: device).view(b, 1); // (B, 1)
        var keyPadding = padding.to(ScalarType.Bool).view(b, 1, 1, promptLength); // (B, 1, 1, P)
        int chunk = ChunkSize(b, promptLength, layout.MaxFedDepth, shape, maxChunk);
        for (int start = 0; start < layout.Fed.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var plan = layout.Chunk(start, Math.Min(chunk, layout.Fed.Length - start));
            int length = plan.Nodes.Length;
            var input = tensor(plan.Nodes.Select(n => (long)trie.TokenInto(n)).ToArray(), device: device).view(1, length).expand(b, length);
            // A node at depth d is the d-th continuation token: position (prompt length + d − 1) in its own row.
            var depth = tensor(plan.Nodes.Select(n => (long)layout.Depth[n] - 1).ToArray(), device: device).view(1, length);
            var positions = lengths.add(depth, Runtime.Scalars.One); // (B, L)
            var tree = tensor(plan.Visible, [1, 1, length, length], device: device).expand(b, 1, length, length);
            var mask = cat([keyPadding.expand(b, 1, length, promptLength), tree], 3); // (B, 1, L, P + L)
            var hidden = module.Forward(input, positions, mask, prefix).narrow(1, plan.Own, length - plan.Own); // (B, C, D)
            var logits = module.Logits(hidden).to(ScalarType.Float32); // (B, C, V)
            long width = logits.shape[2];
            var normaliser = logits.logsumexp(2); // (B, C)
            var flat = tensor(plan.EdgeRows.Select((row, e) => row * width + trie.TokenInto(plan.EdgeNodes[e])).ToArray(), device: device);
            var rowsOf = tensor(plan.EdgeRows, device: device);
            var picked = logits.view(b, -1).index_select(1, flat).sub(normaliser.index_select(1, rowsOf)); // (B, E)
            Scatter(picked, edges, plan.EdgeNodes);
        }

        // Node ids grow with depth (breadth-first numbering), so a parent is summed before its children.
        for (int i = 0; i < b; i++)
        {
            var e = edges[i];
            for (int n = 1; n < e.Length; n++)
                e[n] += e[layout.Parent[n]];
            e[trie.Root] = 0;
        }
        return edges;
    }

    // Writes (B, E) values into edges[b][nodes[e]], in double (the sum over a title's tokens is done in double).
    private static void Scatter(Tensor values, double[][] edges, int[] nodes)
    {
        var flat = values.to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int b = 0; b < edges.Length; b++)
        {
            for (int e = 0; e < nodes.Length; e++)
                edges[b][nodes[e]] = flat[b * nodes.Length + e];
        }
    }

    // The largest chunk whose logits and attention scores fit the budgets with this many prompts.
    private static int ChunkSize(int prompts, long promptLength, int maxDepth, (int Vocabulary, int Heads, int MaxPositions) shape, int maxChunk)
    {
        int chunk = maxChunk;
        while (chunk > Math.Min(MinChunk, maxChunk))
        {
            long queries = chunk + maxDepth;
            bool logits = (long)prompts * chunk * shape.Vocabulary <= LogitBudget;
            bool attention = (long)prompts * shape.Heads * queries * (promptLength + queries) <= AttentionBudget;
            if (logits && attention)
                break;
            chunk /= 2;
        }
        return chunk;
    }

    /// <summary>Parents, depths and the depth-first order of the nodes that are fed to the model.</summary>
    private sealed class Layout
    {
        public Layout(TokenTrie trie)
        {
            Trie = trie;
            int n = trie.NodeCount;
            Parent = new int[n];
            Depth = new int[n];
            Parent[trie.Root] = -1;
            for (int node = 0; node < n; node++)
            {
                var (first, count) = trie.Children(node);
                for (int c = first; c < first + count; c++)
                {
                    Parent[c] = node;
                    Depth[c] = Depth[node] + 1;
                }
            }

            // Depth-first preorder of the non-root nodes with children (the ones whose next-token distribution is needed).
            var fed = new List<int>();
            var stack = new Stack<int>();
            stack.Push(trie.Root);
            while (stack.Count > 0)
            {
                int node = stack.Pop();
                var (first, count) = trie.Children(node);
                if (count == 0)
                    continue;
                if (node != trie.Root)
                    fed.Add(node);
                for (int c = first + count - 1; c >= first; c--)
                    stack.Push(c);
            }
            Fed = [.. fed];
            MaxFedDepth = Fed.Length == 0 ? 0 : Fed.Max(f => Depth[f]);
        }

        public TokenTrie Trie { get; }

        public int[] Parent { get; }

        public int[] Depth { get; }

        public int[] Fed { get; }

        public int MaxFedDepth { get; }

        /// <summary>The fed nodes [start, start + count) with the ancestors of the first in front of them.</summary>
        public ChunkPlan Chunk(int start, int count)
        {
            var path = new List<int>();
            for (int a = Parent[Fed[start]]; a != Trie.Root; a = Parent[a])
                path.Add(a);
            path.Reverse();
            int[] nodes = [.. path, .. Fed.AsSpan(start, count)];
            int length = nodes.Length;
            var index = new Dictionary<int, int>(length);
            for (int i = 0; i < length; i++)
                index[nodes[i]] = i;

            // visible[q, k]: node k is node q or one of its ancestors. Ancestors outside the chunk are in its path.
            var visible = new bool[length * length];
            for (int q = 0; q < length; q++)
            {
                for (int a = nodes[q]; a != Trie.Root; a = Parent[a])
                    visible[q * length + index[a]] = true;
            }

            var edgeRows = new List<long>();
            var edgeNodes = new List<int>();
            for (int j = 0; j < count; j++)
            {
                var (first, children) = Trie.Children(nodes[path.Count + j]);
                for (int c = first; c < first + children; c++)
                {
                    edgeRows.Add(j);
                    edgeNodes.Add(c);
                }
            }
            return new ChunkPlan(nodes, path.Count, visible, [.. edgeRows], [.. edgeNodes]);
        }
    }

    /// <param name="Nodes">The nodes run, ancestors path first.</param>
    /// <param name="Own">How many of them are the path (run again, not scored).</param>
    /// <param name="Visible">The tree mask, row-major (L × L).</param>
    /// <param name="EdgeRows">For each scored edge, the row of its parent among the chunk's own nodes.</param>
    /// <param name="EdgeNodes">For each scored edge, the child node it leads to.</param>
    private sealed record ChunkPlan(int[] Nodes, int Own, bool[] Visible, long[] EdgeRows, int[] EdgeNodes);
}
