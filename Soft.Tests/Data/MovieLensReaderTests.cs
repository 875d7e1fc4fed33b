using System.Text;
using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class MovieLensReaderTests
{
    private static string Ml100K => MovieLens100K.RequireFolder();

    [SkippableFact]
    public void Ml100k_loads_943_users_1682_movies_and_100000_ratings()
    {
        var data = MovieLensReader.Read100K(Ml100K);

        data.UserIds.Should().HaveCount(943);
        data.Catalog.Count.Should().Be(1682);
        data.Interactions.Should().HaveCount(100_000);
        data.HasTimestamps.Should().BeTrue();
        data.ItemsWithoutTitle.Should().Be(0);
        data.Catalog[0].Should().Be(new CatalogItem(0, "1", "Toy Story (1995)", "Animation, Children's, Comedy"));
        data.Interactions[0].Should().Be(new Interaction(0, 241, 3f, 881250949)); // u.data line 1: 196 242 3 881250949
        data.UserIds[0].Should().Be("196");
    }

    [SkippableFact]
    public void Ml100k_has_18_titles_shared_by_36_movies()
    {
        var catalog = MovieLensReader.Read100K(Ml100K).Catalog;

        catalog.DuplicateTitles.Should().HaveCount(18);
        catalog.DuplicateTitles.Sum(d => d.ItemIndices.Count).Should().Be(36);
        foreach (var duplicate in catalog.DuplicateTitles)
            catalog.IndicesWithTitle(duplicate.Title).Should().Equal(duplicate.ItemIndices);
        catalog.FirstIndexOfEachTitle().Should().HaveCount(1682 - 18);
    }

    [SkippableFact]
    public void Ml100k_soft_protocol_cuts_90570_windows_80_10_10()
    {
        // Counts computed independently from u.data with a short Python script (stable sort, windows of 11).
        var dataset = MovieLensReader.Load(Ml100K, new DatasetOptions().WithAllSamples());

        dataset.Protocol.Should().Be(SplitProtocol.Soft);
        dataset.Train.Should().HaveCount(72_456);
        dataset.Valid.Should().HaveCount(9_057);
        dataset.Test.Should().HaveCount(9_057);
        dataset.Train.Concat(dataset.Valid).Concat(dataset.Test).Select(s => s.Timestamp!.Value).Should().BeInAscendingOrder();
        dataset.Train.Should().OnlyContain(s => s.History.Count == 10);
        var first = dataset.Train[0];
        first.UserId.Should().Be("259");
        first.History.Select(i => dataset.Catalog[i].Id).Should().Equal("255", "286", "298", "185", "173", "772", "108", "288", "928", "117");
        dataset.Catalog[first.Target].Id.Should().Be("200");
        dataset.Test[0].UserId.Should().Be("90");
    }

    [SkippableFact]
    public void Ml100k_soft_split_is_reproducible_for_a_seed_and_changes_with_it()
    {
        var a = MovieLensReader.Load(Ml100K, new DatasetOptions { Seed = 42 });
        var b = MovieLensReader.Load(Ml100K, new DatasetOptions { Seed = 42 });
        var c = MovieLensReader.Load(Ml100K, new DatasetOptions { Seed = 7 });

        a.Train.Should().HaveCount(4096);
        a.Valid.Should().HaveCount(512);
        a.Test.Should().HaveCount(1000);
        Keys(a.Train).Should().Equal(Keys(b.Train));
        Keys(a.Test).Should().Equal(Keys(b.Test));
        Keys(a.Train).Should().NotEqual(Keys(c.Train));
        Keys(a.Test).Should().NotEqual(Keys(c.Test));
        Keys(a.Train).Should().OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public void Ml100k_prompt_matches_the_reference_template()
    {
        var dataset = MovieLensReader.Load(Ml100K, new DatasetOptions().WithAllSamples());

        var prompt = dataset.Prompt(dataset.Train[0]);

        prompt.Prompt.Should().Be(
            """
            Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.

            ### Instruction:
            Given a list of movies the user has watched before, please recommend a new movie that the user likes to the user.

            ### Input:
            The user has watched the following movies before: "My Best Friend's Wedding (1997)", "English Patient, The (1996)", "Face/Off (1997)", "Psycho (1960)", "Princess Bride, The (1987)", "Kids (1995)", "Kids in the Hall: Brain Candy (1996)", "Scream (1996)", "Craft, The (1996)", "Rock, The (1996)"

            ### Response:

            """);
        prompt.Completion.Should().Be("\"Shining, The (1980)\"");
    }

    [Fact]
    public void Ml1m_format_round_trips()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("movies.dat", Encoding.Latin1.GetBytes("1::Toy Story (1995)::Animation|Children's|Comedy\n2::Misérables, Les (1995)::Drama\n"));
        folder.Write("ratings.dat", "1::2::5::978300760\n1::1::3::978300761\n2::1::4::978300000\n");

        var data = MovieLensReader.Read(folder.Path);

        data.Catalog.Items.Select(i => i.Title).Should().Equal("Toy Story (1995)", "Misérables, Les (1995)");
        data.Catalog[0].Metadata.Should().Be("Animation, Children's, Comedy");
        data.UserIds.Should().Equal("1", "2");
        data.Interactions.Should().Equal(
            new Interaction(0, 1, 5f, 978300760),
            new Interaction(0, 0, 3f, 978300761),
            new Interaction(1, 0, 4f, 978300000));
    }

    [Fact]
    public void Ml_latest_format_reads_quoted_csv()
    {
        using var folder = new TempFolder();
        folder.Write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n11,\"American President, The (1995)\",Comedy|Drama|Romance\n12,\"Say \"\"Cheese\"\" (2001)\",(no genres listed)\n");
        folder.Write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,11,4.5,964982703\r\n1,12,3.0,964981247\r\n");

        var data = MovieLensReader.Read(folder.Path);

        data.Catalog.Items.Select(i => i.Title).Should().Equal("Toy Story (1995)", "American President, The (1995)", "Say \"Cheese\" (2001)");
        data.Catalog[2].Metadata.Should().BeNull();
        data.Interactions.Should().Equal(new Interaction(0, 1, 4.5f, 964982703), new Interaction(0, 2, 3f, 964981247));
    }

    [Fact]
    public void Utf8_byte_order_mark_is_not_part_of_the_header()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("movies.csv", [0xEF, 0xBB, 0xBF, .. "movieId,title,genres\n1,Heat (1995),Action\n"u8.ToArray()]);
        folder.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1\n");

        MovieLensReader.ReadLatest(folder.Path).Catalog.Items.Single().Should().Be(new CatalogItem(0, "1", "Heat (1995)", "Action"));
    }

    [Fact]
    public void Rating_of_an_unknown_movie_names_file_line_and_field()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("u.item", Encoding.Latin1.GetBytes("1|Toy Story (1995)|01-Jan-1995||url|0|0\n"));
        folder.Write("u.data", "1\t1\t5\t100\n1\t99\t4\t101\n");

        var act = () => MovieLensReader.Read(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.FilePath.Should().Be(folder.File("u.data"));
        error.LineNumber.Should().Be(2);
        error.Field.Should().Be("item_id");
        error.Message.Should().Contain("u.data").And.Contain("line 2").And.Contain("item_id").And.Contain("99");
    }

    [Fact]
    public void Malformed_rating_row_names_the_missing_field()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("u.item", Encoding.Latin1.GetBytes("1|Toy Story (1995)\n"));
        folder.Write("u.data", "1\t1\t5\t100\n1\t1\tfive\t101\n");

        var act = () => MovieLensReader.Read100K(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.LineNumber, error.Field).Should().Be((2L, "rating"));
        error.Message.Should().Contain("'five'");
    }

    private static List<string> Keys(IEnumerable<RecommendationSample> samples) =>
        [.. samples.Select(s => $"{s.UserId}:{s.Target}:{s.Timestamp}:{string.Join(' ', s.History)}")];
}
