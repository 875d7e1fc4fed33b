using Soft.Data;
using Soft.Evaluation;
using Soft.Generation;
using Soft.Metrics.Constrained;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;

namespace Soft.Tests.Generation;

/// <summary>The exact scorer and the constrained beam build their catalogue trie the one same way.</summary>
public sealed class ItemTrieTests
{
    private static readonly string[] Titles = ["The Beatles", "Queen", "The Beat", "Queen", "Abba"];

    [Fact]
    public void The_exact_scorer_and_the_constrained_beam_hold_the_same_trie_with_twins_on_one_leaf()
    {
        var catalog = new ItemCatalog(Titles.Select((t, i) => new CatalogItem(i, $"a{i}", t)), "toy");
        using var model = ModelTestKit.LoadStories();

        var scorer = new TitleTrieScorer(model.Tokenizer, EvaluationData.Template, catalog);
        var beam = CatalogTrie.Build(catalog, model.Tokenizer);

        beam.Trie.NodeCount.Should().Be(scorer.Trie.NodeCount);
        beam.LongestSequence.Should().Be(scorer.LongestSequence);
        for (int i = 0; i < Titles.Length; i++)
        {
            var tokens = CatalogTrie.TitleTokens(model.Tokenizer, Titles[i]);
            scorer.Trie.ItemsAt(tokens).ToArray().Should().Equal(beam.Trie.ItemsAt(tokens).ToArray(), $"item {i}");
        }
        scorer.Trie.ItemsAt(CatalogTrie.TitleTokens(model.Tokenizer, "Queen")).ToArray().Should().Equal(1, 3);
    }

    [Fact]
    public void Items_left_out_have_no_leaf_and_an_item_that_encodes_to_nothing_is_refused_by_name()
    {
        var catalog = new ItemCatalog(Titles.Select((t, i) => new CatalogItem(i, $"a{i}", t)), "toy");
        using var model = ModelTestKit.LoadStories();

        var odd = ItemTrie.Build(model.Tokenizer, catalog, i => TitleQuoting.Quote(catalog[i].Title), i => i % 2 == 1);
        odd.Leaves.Select(leaf => leaf >= 0).Should().Equal(false, true, false, true, false);
        odd.Leaves[1].Should().Be(odd.Leaves[3], "twins share a leaf");

        var act = () => ItemTrie.Build(model.Tokenizer, catalog, i => i == 2 ? "" : catalog[i].Title);
        act.Should().Throw<InvalidDataException>().WithMessage("Item 'a2' (catalogue index 2)*no token*");
    }
}
