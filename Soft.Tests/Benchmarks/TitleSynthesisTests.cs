using Soft.Benchmarks;
using Soft.Data;

namespace Soft.Tests.Benchmarks;

public sealed class TitleSynthesisTests
{
    private static ItemCatalog Catalog(params string[] titles) =>
        new(titles.Select((t, i) => new CatalogItem(i, $"id{i}", t, i == 0 ? "meta" : null)));

    [Fact]
    public void Short_titles_are_padded_to_exactly_the_goal_and_keep_their_own_text_first()
    {
        var catalog = Catalog("Morcheeba", "Enigma", "Café Del Mar", "A Perfect Circle");

        var longer = TitleSynthesis.Lengthen(catalog, 40, seed: 1);

        longer.Items.Should().HaveCount(4);
        for (int i = 0; i < catalog.Count; i++)
        {
            var item = longer[i];
            item.Title.Should().HaveLength(40);
            item.Title.Should().StartWith(catalog[i].Title + " ");
            item.Title.Should().NotEndWith(" ");
            (item.Index, item.Id, item.Metadata).Should().Be((catalog[i].Index, catalog[i].Id, catalog[i].Metadata));
        }
        TitleSynthesis.MeanLength(longer).Should().Be(40);
    }

    [Fact]
    public void Padding_uses_words_of_the_catalogue_only()
    {
        var catalog = Catalog("Red Hot Chili Peppers", "Massive Attack", "Air");
        var words = catalog.Items.SelectMany(i => i.Title.Split(' ')).ToHashSet(StringComparer.Ordinal);

        var longer = TitleSynthesis.Lengthen(catalog, 90, seed: 7);

        foreach (var item in longer.Items)
        {
            // Every padding word but the last (which the cut may shorten or end with an 's') is a catalogue word.
            var added = item.Title[(catalog[item.Index].Title.Length + 1)..].Split(' ');
            added[..^1].Should().OnlyContain(w => words.Contains(w));
        }
    }

    [Fact]
    public void Titles_already_long_enough_are_kept_and_the_same_seed_gives_the_same_titles()
    {
        var catalog = Catalog("A title that is longer than twenty", "Short");

        var first = TitleSynthesis.Lengthen(catalog, 20, seed: 3);
        var again = TitleSynthesis.Lengthen(catalog, 20, seed: 3);
        var other = TitleSynthesis.Lengthen(catalog, 20, seed: 4);

        first[0].Title.Should().Be("A title that is longer than twenty");
        again.Items.Select(i => i.Title).Should().Equal(first.Items.Select(i => i.Title));
        other[1].Title.Should().NotBe(first[1].Title);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // Every padding word is an emoji (two UTF-16 units), so an odd goal would land inside one.
        var catalog = Catalog("\U0001F600", "\U0001F3B5\U0001F3B6");

        foreach (int goal in new[] { 5, 6, 7, 9 })
        {
            var longer = TitleSynthesis.Lengthen(catalog, goal, seed: 2);
            foreach (var item in longer.Items)
            {
                item.Title.Length.Should().BeInRange(goal - 1, goal);
                char.IsHighSurrogate(item.Title[^1]).Should().BeFalse($"'{item.Title}' must not end inside a pair");
            }
        }
    }

    [Fact]
    public void LastFm_padded_to_180_characters_has_every_title_at_180()
    {
        var lastFm = EmbeddedDatasets.LastFmSequences().Catalog;

        var longer = TitleSynthesis.Lengthen(lastFm, 180, seed: 42);

        longer.Items.Should().OnlyContain(i => i.Title.Length == 180);
        longer.Items.Select(i => i.Title).Distinct().Should().HaveCount(lastFm.Count);
    }

    [Fact]
    public void A_goal_below_one_is_refused()
    {
        var act = () => TitleSynthesis.Lengthen(Catalog("x"), 0, seed: 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("characters");
    }
}
