using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class DatasetStatisticsTests
{
    [SkippableFact]
    public void Ml100k_statistics_count_users_items_lengths_duplicates_and_splits()
    {
        var stats = MovieLensReader.Load(MovieLens100K.RequireFolder()).Statistics;

        stats.Users.Should().Be(943);
        stats.Items.Should().Be(1682);
        stats.Interactions.Should().Be(100_000);
        stats.SequenceLengths.Min.Should().Be(20);
        stats.SequenceLengths.Max.Should().Be(737);
        stats.SequenceLengths.Mean.Should().BeApproximately(106.0445, 1e-4);
        stats.DuplicateTitles.Should().Be(18);
        stats.ItemsWithDuplicateTitles.Should().Be(36);
        (stats.TrainSamples, stats.ValidSamples, stats.TestSamples).Should().Be((4096, 512, 1000));
    }

    [SkippableFact]
    public void Statistics_print_as_text_and_markdown_and_round_trip_through_json()
    {
        var stats = MovieLensReader.Load(MovieLens100K.RequireFolder()).Statistics;

        stats.ToString().Should().Contain("users").And.Contain("943").And.Contain("1,682").And.Contain("18 titles shared by 36 items");
        stats.ToMarkdown().Should().Contain("| interactions | 100,000 |").And.Contain("| train / valid / test | 4,096 / 512 / 1,000 |");
        string json = stats.ToJson();
        json.Should().Contain("\"duplicate_titles\": 18").And.Contain("\"protocol\": \"Soft\"");
        DatasetStatistics.FromJson(json).Should().BeEquivalentTo(stats);
    }
}
