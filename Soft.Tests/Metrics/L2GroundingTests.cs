using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics.Grounding;

namespace Soft.Tests.Metrics;

/// <summary>The grounding ranking on hand-made vectors: ties, duplicate titles and the top list.</summary>
public sealed class L2GroundingTests
{
    private static readonly ItemCatalog Catalog = new(new[] { "a", "b", "a", "c", "d" }.Select((t, i) => new CatalogItem(i, $"i{i}", t)));

    // Items 0 and 2 share title "a" and so share a vector, as the base model gives them.
    private static readonly ItemEmbeddingTable Table = ItemEmbeddingTable.FromRows(Catalog, [[1, 0], [0, 2], [1, 0], [3, 0], [0, -2]]);

    [Fact]
    public void With_the_reference_rule_a_later_twin_is_ranked_as_its_titles_first_item()
    {
        var ranked = L2Grounding.Rank([1, 0], Table, target: 2, keepTop: 10);
        ranked.Rank.Should().Be(0);
        ranked.TopItems.Should().Equal(0, 3, 1, 4); // distances 0, 2, √5, √5
        ranked.TopItems.Should().NotContain(2, "only the first item of each title is a ranking row");
        ranked.TargetDistance.Should().Be(0);
    }

    [Fact]
    public void Ranking_every_item_puts_twins_in_id_order()
    {
        var ranked = L2Grounding.Rank([1, 0], Table, target: 2, keepTop: 10, firstItemOfEachTitle: false);
        ranked.Rank.Should().Be(1, "item 0 ties with item 2 and has the smaller id");
        ranked.TopItems.Should().Equal(0, 2, 3, 1, 4);
    }

    [Fact]
    public void Equal_distances_rank_by_item_id()
    {
        // (0, 0) is at distance 2 from items 1 and 4, and at 1 from item 0.
        var ranked = L2Grounding.Rank([0, 0], Table, target: 4, keepTop: 3);
        ranked.TopItems.Should().Equal(0, 1, 4);
        ranked.Rank.Should().Be(2);
        ranked.TargetDistance.Should().Be(2);
    }

    [Fact]
    public void A_vector_of_the_wrong_width_is_refused()
    {
        var act = () => L2Grounding.Rank([1, 0, 0], Table, target: 0, keepTop: 1);
        act.Should().Throw<ArgumentException>().WithMessage("*width 3*2*");
    }
}
