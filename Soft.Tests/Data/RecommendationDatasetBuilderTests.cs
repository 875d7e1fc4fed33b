using Soft.Data;

namespace Soft.Tests.Data;

public sealed class RecommendationDatasetBuilderTests
{
    private static readonly DatasetOptions All = new DatasetOptions().WithAllSamples();

    [Fact]
    public void Equal_timestamps_keep_file_order()
    {
        var builder = Builder("a", "b", "c");
        builder.AddInteraction("u", "a", null, 5);
        builder.AddInteraction("u", "b", null, 5);
        builder.AddInteraction("u", "c", null, 3);

        var sequence = builder.Build().ToSequences().Single();

        sequence.Items.Should().Equal(2, 0, 1);
        sequence.Timestamps.Should().Equal(3L, 5L, 5L);
    }

    [Fact]
    public void Soft_protocol_cuts_windows_sorts_them_by_their_last_item_and_splits_80_10_10()
    {
        var builder = Builder("a", "b", "c", "d", "e");
        // u1 has 5 items: windows of H + 1 = 3 end at t = 30, 40, 50. u2 has 2 items: one shorter window ending at 35.
        foreach (var (item, time) in new[] { ("a", 10L), ("b", 20L), ("c", 30L), ("d", 40L), ("e", 50L) })
            builder.AddInteraction("u1", item, null, time);
        builder.AddInteraction("u2", "e", null, 1);
        builder.AddInteraction("u2", "a", null, 35);
        // Eight users with one short window each fill the split so that 80/10/10 is visible: 12 windows in all.
        for (int u = 0; u < 8; u++)
        {
            builder.AddInteraction($"v{u}", "a", null, 100 + u);
            builder.AddInteraction($"v{u}", "b", null, 100 + u);
        }

        var dataset = RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { HistoryLength = 2 });

        dataset.Protocol.Should().Be(SplitProtocol.Soft);
        dataset.Train.Should().HaveCount(9);  // int(12 * 0.8)
        dataset.Valid.Should().HaveCount(1);  // int(12 * 0.9) - 9
        dataset.Test.Should().HaveCount(2);
        dataset.Train.Take(4).Should().BeEquivalentTo(new[]
        {
            new RecommendationSample("u1", [0, 1], 2, 30),
            new RecommendationSample("u2", [4], 0, 35),
            new RecommendationSample("u1", [1, 2], 3, 40),
            new RecommendationSample("u1", [2, 3], 4, 50),
        }, o => o.WithStrictOrdering());
        dataset.Test.Select(s => s.UserId).Should().Equal("v6", "v7");
    }

    [Fact]
    public void Order_only_data_gets_leave_one_out()
    {
        var builder = Builder("a", "b", "c", "d");
        foreach (string item in new[] { "a", "b", "c", "d" })
            builder.AddInteraction("u", item, null, null);
        builder.AddInteraction("w", "d", null, null);
        builder.AddInteraction("w", "c", null, null);

        var dataset = RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { HistoryLength = 2 });

        dataset.Protocol.Should().Be(SplitProtocol.LeaveOneOut);
        dataset.Train.Should().BeEquivalentTo(new[] { new RecommendationSample("u", [0], 1), new RecommendationSample("w", [3], 2) }, o => o.WithStrictOrdering());
        dataset.Valid.Should().BeEquivalentTo(new[] { new RecommendationSample("u", [0, 1], 2) });
        dataset.Test.Should().BeEquivalentTo(new[] { new RecommendationSample("u", [1, 2], 3) });
    }

    [Fact]
    public void Soft_protocol_on_order_only_data_is_refused()
    {
        var builder = Builder("a", "b");
        builder.AddInteraction("u", "a", null, null);
        builder.AddInteraction("u", "b", null, null);

        var act = () => RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { Protocol = SplitProtocol.Soft, HistoryLength = 1 });

        act.Should().Throw<DatasetFormatException>().Which.Field.Should().Be("timestamp");
    }

    [Fact]
    public void K_core_is_iterative_and_shrinks_the_catalogue()
    {
        var builder = Builder("a", "b", "c", "unused");
        Add(builder, "u1", "a", "b");
        Add(builder, "u2", "a", "b");
        // c has one interaction, so it goes; u3 is then left with one item and goes too, which a single pass would miss.
        Add(builder, "u3", "a", "c");

        var dataset = RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { KCore = 2, HistoryLength = 1 });

        dataset.Catalog.Items.Select(i => i.Id).Should().Equal("a", "b");
        dataset.Sequences!.Select(s => s.UserId).Should().Equal("u1", "u2");
        dataset.Sequences!.Should().OnlyContain(s => s.Items.SequenceEqual(new[] { 0, 1 }));
    }

    [SkippableFact]
    public void Ml100k_10_core_keeps_users_and_items_with_at_least_10_interactions()
    {
        var data = Soft.Data.Formats.MovieLensReader.Read100K(MovieLens100K.RequireFolder());

        var dataset = RecommendationDatasetBuilder.FromInteractions(data, RecommendationDomain.Movies, new DatasetOptions { KCore = 10 });

        var itemCounts = dataset.Sequences!.SelectMany(s => s.Items).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        itemCounts.Values.Should().OnlyContain(c => c >= 10);
        itemCounts.Should().HaveCount(dataset.Catalog.Count);
        dataset.Sequences!.Should().OnlyContain(s => s.Items.Count >= 10);
        dataset.Catalog.Count.Should().BeLessThan(1682);
    }

    [Fact]
    public void K_core_that_removes_everything_is_an_error()
    {
        var builder = Builder("a", "b");
        Add(builder, "u1", "a", "b");

        var act = () => RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { KCore = 3, HistoryLength = 1 });

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Field.Should().Be("KCore");
        error.Message.Should().Contain("3-core");
    }

    [Fact]
    public void History_longer_than_every_sequence_is_an_error()
    {
        var builder = Builder("a", "b", "c");
        Add(builder, "u1", "a", "b", "c");

        var act = () => RecommendationDatasetBuilder.FromInteractions(builder.Build(), RecommendationDomain.Products, All with { HistoryLength = 3 });

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.Field.Should().Be("HistoryLength");
        error.Message.Should().Contain("longest: 3 items");
    }

    [Fact]
    public void Subsets_are_seeded_distinct_and_keep_chronological_order()
    {
        var dataset = Soft.Data.Formats.LastFmReader.Load(Fixtures.LastFm, new DatasetOptions { TrainSubset = 100, ValidSubset = 10, TestSubset = 10 });
        var full = Soft.Data.Formats.LastFmReader.Load(Fixtures.LastFm, All);

        dataset.Train.Should().HaveCount(100);
        var positions = dataset.Train.Select(s => IndexOf(full.Train, s)).ToList();
        positions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.NotContain(-1);
        positions.Should().NotEqual(Enumerable.Range(0, 100), "a random draw is not the first 100");
    }

    [Fact]
    public void Interactions_without_titled_items_are_an_error()
    {
        var builder = new InteractionDataBuilder("t");
        builder.AddItem("a", "  ");
        builder.AddInteraction("u", "a", null, 1);

        var act = () => builder.Build();

        act.Should().Throw<DatasetFormatException>().Which.Message.Should().Contain("catalogue is empty");
    }

    private static int IndexOf(IReadOnlyList<RecommendationSample> samples, RecommendationSample sample)
    {
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples[i].UserId == sample.UserId && samples[i].Target == sample.Target && samples[i].History.SequenceEqual(sample.History))
                return i;
        }
        return -1;
    }

    private static InteractionDataBuilder Builder(params string[] items)
    {
        var builder = new InteractionDataBuilder("test");
        foreach (string item in items)
            builder.AddItem(item, "Title " + item);
        return builder;
    }

    private static void Add(InteractionDataBuilder builder, string user, params string[] items)
    {
        long time = builder.InteractionCount;
        foreach (string item in items)
            builder.AddInteraction(user, item, null, time++);
    }
}
