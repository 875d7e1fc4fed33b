using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

public sealed class ResourceGridTests
{
    private static ResourceGrid Parse(params string[] args) => ResourceGrid.Parse(["memory", .. args], Option(args));

    private static Func<string, string?> Option(string[] args) => name =>
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    };

    [Fact]
    public void The_default_grid_is_both_axes_per_model_plus_the_capped_row()
    {
        var rows = Parse().Configurations();

        // Per model: 4 histories at LastFM's titles, then 90 and 180 characters at history 10.
        rows.Should().HaveCount(2 * 6 + 1);
        rows.Take(6).Select(r => (r.ItemTokens, r.Titles, r.History)).Should().Equal(
            (true, "lastfm", 5), (true, "lastfm", 10), (true, "lastfm", 20), (true, "lastfm", 50), (true, "90", 10), (true, "180", 10));
        rows.Take(12).Should().OnlyContain(r => r.MaxHistoryTitleTokens == null && r.Steps == 2 && r.Threads == 1);
        rows[^1].Should().Be(rows[11] with { MaxHistoryTitleTokens = 16 });
        rows[^1].ItemTokens.Should().BeFalse();
    }

    [Fact]
    public void Cross_runs_every_title_length_at_every_history()
    {
        var rows = Parse("--cross", "--models", "titles", "--title-chars", "lastfm,90", "--histories", "5,10", "--cap", "none").Configurations();

        rows.Select(r => (r.Titles, r.History)).Should().Equal(("lastfm", 5), ("lastfm", 10), ("90", 5), ("90", 10));
    }

    [Fact]
    public void The_steps_check_repeats_the_highest_uncapped_row_of_the_first_title_length()
    {
        var grid = Parse();
        var rows = grid.Configurations();
        // Peaks rise along the grid, so the capped row and the 180-character rows are the highest overall.
        var results = rows.Select((r, i) => PeakMemoryRuleTests.Result(1000 + i, 100, 100 + i) with { Configuration = r }).ToList();

        var row = grid.StepsCheckRow(results);

        row!.Configuration.Should().Be(rows[9]);
        (row.Configuration.ItemTokens, row.Configuration.Titles, row.Configuration.History).Should().Be((false, "lastfm", 50));
        Parse("--check-factor", "1").StepsCheckRow(results).Should().BeNull();
    }

    [Fact]
    public void The_steps_check_multiplies_only_the_steps()
    {
        var grid = Parse("--steps", "6", "--check-factor", "3");
        var row = grid.Configurations()[3];

        grid.StepsCheck(row).Should().Be(row with { Steps = 18 });
    }

    [Fact]
    public void A_configuration_survives_the_trip_to_the_child_process()
    {
        foreach (var row in Parse("--cap", "12", "--valid-samples", "16", "--test-samples", "3", "--threads", "2").Configurations())
        {
            string[] args = [.. row.ToArguments()];

            ResourceConfiguration.Parse(Option(args)).Should().Be(row);
        }
    }

    [Theory]
    [InlineData("--steps", "3", "--steps: 3 is odd")]
    [InlineData("--steps", "0", "--steps: 0 is below the range; expected a whole number from 2 to 10,000")]
    [InlineData("--models", "items,words", "--models: unknown model 'words'; models: items, titles")]
    [InlineData("--title-chars", "lastfm,long", "--title-chars: 'long' is not a whole number from 1 to 10,000 or 'lastfm'")]
    [InlineData("--histories", "5,10,5", "--histories: a value is repeated in '5,10,5'")]
    [InlineData("--histories", ",", "--histories: needs at least one value")]
    [InlineData("--at-history", "7", "--at-history: 7 is not one of --histories (5,10,20,50)")]
    [InlineData("--check-factor", "0", "--check-factor: 0 is below the range")]
    [InlineData("--threads", "99999999999", "--threads: 99999999999 is above the range")]
    public void A_bad_value_is_refused_naming_the_option(string option, string value, string message)
    {
        var act = () => Parse(option, value);

        act.Should().Throw<ArgumentException>().WithMessage(message + "*");
    }

    [Fact]
    public void A_cap_without_the_titles_model_is_refused()
    {
        var act = () => Parse("--models", "items", "--cap", "8");

        act.Should().Throw<ArgumentException>().WithMessage("--cap: the capped row uses the titles model*");
        Parse("--models", "items").Configurations().Should().OnlyContain(r => r.ItemTokens);
    }

    [Fact]
    public void A_child_without_a_required_argument_names_it()
    {
        var act = () => ResourceConfiguration.Parse(Option(["--model", "items", "--titles", "lastfm"]));

        act.Should().Throw<ArgumentException>().WithMessage("--history is missing.");
    }
}
