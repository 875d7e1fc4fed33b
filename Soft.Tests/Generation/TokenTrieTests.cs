using Soft.Generation;

namespace Soft.Tests.Generation;

public sealed class TokenTrieTests
{
    private const int Eos = 0;

    // "Halo" (two items share it), "Halo 2" (extends "Halo"), and "Tetris".
    private static TokenTrie Catalog() =>
        new TokenTrieBuilder(Eos)
            .Add([5, 6, Eos], 12)
            .Add([5, 6, 7, Eos], 11)
            .Add([5, 6, Eos], 10)
            .Add([8, Eos], 13)
            .Build();

    [Fact]
    public void Allowed_next_follows_the_titles()
    {
        var trie = Catalog();

        trie.AllowedNext([]).ToArray().Should().Equal(5, 8);
        trie.AllowedNext([5]).ToArray().Should().Equal(6);
        trie.AllowedNext([5, 6]).ToArray().Should().Equal(Eos, 7);
        trie.AllowedNext([5, 6, 7]).ToArray().Should().Equal(Eos);
    }

    [Fact]
    public void Complete_and_unknown_prefixes_allow_nothing()
    {
        var trie = Catalog();

        trie.AllowedNext([5, 6, Eos]).IsEmpty.Should().BeTrue();
        trie.AllowedNext([9]).IsEmpty.Should().BeTrue();
        trie.AllowedNext([5, 9, 6]).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_title_that_is_a_prefix_of_another_is_distinguished_by_EOS()
    {
        var trie = Catalog();

        trie.IsComplete([5, 6]).Should().BeFalse();
        trie.IsComplete([5, 6, Eos]).Should().BeTrue();
        trie.IsComplete([5, 6, 7, Eos]).Should().BeTrue();
        trie.ItemsAt([5, 6, Eos]).ToArray().Should().Equal(10, 12);
        trie.ItemsAt([5, 6, 7, Eos]).ToArray().Should().Equal(11);
    }

    [Fact]
    public void Duplicate_titles_share_a_leaf_with_sorted_item_ids()
    {
        var trie = Catalog();

        trie.ItemsAt([5, 6, Eos]).ToArray().Should().Equal(10, 12);
        trie.SequenceCount.Should().Be(4);
        trie.DistinctSequenceCount.Should().Be(3);
        // root, 5, 6, 6·EOS, 7, 7·EOS, 8, 8·EOS
        trie.NodeCount.Should().Be(8);
    }

    [Fact]
    public void Incomplete_or_unknown_sequences_hold_no_items()
    {
        var trie = Catalog();

        trie.ItemsAt([5, 6]).IsEmpty.Should().BeTrue();
        trie.ItemsAt([1, Eos]).IsEmpty.Should().BeTrue();
        trie.IsComplete([1, Eos]).Should().BeFalse();
        trie.IsComplete([]).Should().BeFalse();
    }

    [Fact]
    public void Stepping_by_node_agrees_with_the_prefix_API()
    {
        var trie = Catalog();

        trie.TryStep(trie.Root, 5, out int n5).Should().BeTrue();
        trie.TryStep(n5, 6, out int n56).Should().BeTrue();
        trie.TryStep(n56, 9, out int missing).Should().BeFalse();
        missing.Should().Be(-1);
        trie.AllowedNext(n56).ToArray().Should().Equal(trie.AllowedNext([5, 6]).ToArray());
        trie.TryStep(n56, Eos, out int leaf).Should().BeTrue();
        trie.IsComplete(leaf).Should().BeTrue();
        trie.ItemsAt(leaf).ToArray().Should().Equal(10, 12);
        trie.TryFind([5, 6], out int found).Should().BeTrue();
        found.Should().Be(n56);
    }

    [Fact]
    public void Random_catalogue_holds_exactly_its_titles()
    {
        var random = new Random(5);
        var titles = new Dictionary<string, (int[] Tokens, List<int> Items)>();
        var builder = new TokenTrieBuilder(Eos);
        for (int item = 0; item < 2000; item++)
        {
            // A small vocabulary and short titles, so prefixes and duplicates are common.
            var tokens = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, 6)).Append(Eos).ToArray();
            builder.Add(tokens, item);
            string key = string.Join(',', tokens);
            if (!titles.TryGetValue(key, out var entry))
                titles[key] = entry = (tokens, []);
            entry.Items.Add(item);
        }

        var trie = builder.Build();

        // Walk every path the allowed sets permit; the complete ones must be exactly the titles added.
        var found = new Dictionary<string, int[]>();
        var badNodes = new List<int>();
        var stack = new Stack<(int Node, List<int> Prefix)>();
        stack.Push((trie.Root, []));
        while (stack.Count > 0)
        {
            var (node, prefix) = stack.Pop();
            // Plain checks inside the walk: an assertion per node would dominate the test's run time.
            if (trie.IsComplete(node))
            {
                if (!trie.AllowedNext(node).IsEmpty)
                    badNodes.Add(node);
                found[string.Join(',', prefix)] = trie.ItemsAt(node).ToArray();
                continue;
            }

            var allowed = trie.AllowedNext(node).ToArray();
            bool strictlyAscending = allowed.Zip(allowed.Skip(1)).All(p => p.First < p.Second);
            if (allowed.Length == 0 || !strictlyAscending)
                badNodes.Add(node);
            foreach (int token in allowed)
            {
                if (!trie.TryStep(node, token, out int child))
                    badNodes.Add(node);
                stack.Push((child, [.. prefix, token]));
            }
        }

        badNodes.Should().BeEmpty();
        found.Keys.Order(StringComparer.Ordinal).Should().Equal(titles.Keys.Order(StringComparer.Ordinal));
        titles.Where(t => !found[t.Key].SequenceEqual(t.Value.Items)).Should().BeEmpty();
        trie.SequenceCount.Should().Be(2000);
        trie.DistinctSequenceCount.Should().Be(titles.Count);
    }

    [Fact]
    public void A_built_trie_is_not_changed_by_later_adds()
    {
        var builder = new TokenTrieBuilder(Eos).Add([3, Eos], 1);
        var first = builder.Build();

        builder.Add([3, 4, Eos], 2);

        first.AllowedNext([3]).ToArray().Should().Equal(Eos);
        builder.Build().AllowedNext([3]).ToArray().Should().Equal(Eos, 4);
    }

    [Fact]
    public void Empty_builder_gives_an_empty_trie()
    {
        var trie = new TokenTrieBuilder(Eos).Build();

        trie.NodeCount.Should().Be(1);
        trie.SequenceCount.Should().Be(0);
        trie.AllowedNext([]).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Bad_sequences_are_rejected()
    {
        var builder = new TokenTrieBuilder(Eos).Add([1, Eos], 1);

        builder.Invoking(b => b.Add([], 2)).Should().Throw<ArgumentException>().WithMessage("*empty*");
        builder.Invoking(b => b.Add([Eos], 2)).Should().Throw<ArgumentException>().WithMessage("*before the end-of-sequence*");
        builder.Invoking(b => b.Add([1, 2], 2)).Should().Throw<ArgumentException>().WithMessage("*must end with*");
        builder.Invoking(b => b.Add([1, Eos, 2, Eos], 2)).Should().Throw<ArgumentException>().WithMessage("*position 1*");
        builder.Invoking(b => b.Add([1, -3, Eos], 2)).Should().Throw<ArgumentOutOfRangeException>();
        builder.Invoking(b => b.Add([1, Eos], -1)).Should().Throw<ArgumentOutOfRangeException>();
        builder.Invoking(b => b.Add([1, Eos], 1)).Should().Throw<ArgumentException>().WithMessage("*already added*");
        builder.Count.Should().Be(1);
        builder.Build().NodeCount.Should().Be(3);
        var negativeEos = () => new TokenTrieBuilder(-1);
        negativeEos.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Bad_node_handles_are_rejected()
    {
        var trie = Catalog();

        trie.Invoking(t => t.AllowedNext(trie.NodeCount)).Should().Throw<ArgumentOutOfRangeException>();
        trie.Invoking(t => t.TryStep(-1, 5, out _)).Should().Throw<ArgumentOutOfRangeException>();
        trie.Invoking(t => t.IsComplete(99)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
