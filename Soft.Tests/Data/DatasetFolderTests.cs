using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class DatasetFolderTests
{
    [Theory]
    [MemberData(nameof(FormatFixtures.All), MemberType = typeof(FormatFixtures))]
    public void Each_format_is_detected_and_loads_the_same_titles(DatasetFormat format)
    {
        using var folder = new TempFolder();
        string name = FormatFixtures.Write(format, folder);

        var match = DatasetFolder.Detect(folder.Path);
        var dataset = DatasetFolder.Load(match, new DatasetOptions { HistoryLength = 4 }.WithAllSamples());

        match.Format.Should().Be(format);
        match.Name.Should().Be(name);
        match.Description.Should().StartWith(DatasetFolder.Info(format).Name);
        dataset.Catalog.Items.Select(i => i.Title.Replace(" (1999)", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Should().Equal(FormatFixtures.Titles.Order(StringComparer.Ordinal));
        (dataset.Train.Count + dataset.Valid.Count + dataset.Test.Count).Should().BePositive();
        // Every sample's items are real titles: a misread column or an unmapped index would not give these.
        var first = dataset.Train[0];
        dataset.Catalog[first.Target].Title.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void UniSRec_indices_are_mapped_back_to_the_items_and_users_of_the_text_file()
    {
        using var folder = new TempFolder();
        FormatFixtures.Write(DatasetFormat.RecBoleBenchmark, folder);

        var dataset = DatasetFolder.Load(folder.Path, options: new DatasetOptions { HistoryLength = 4 }.WithAllSamples());

        string Title(int index) => dataset.Catalog[index].Title;
        // User 0's items start Halo, Zelda, Portal, Doom, Myst: train predicts the 3rd item from the first two.
        dataset.Train[0].UserId.Should().Be("A0");
        dataset.Train[0].History.Select(Title).Should().Equal("Halo", "Zelda");
        Title(dataset.Train[0].Target).Should().Be("Portal");
        Title(dataset.Test[0].Target).Should().Be("Myst");
        dataset.Catalog.Items.Select(i => i.Id).Should().Contain("ASIN1");
    }

    [Fact]
    public void A_folder_that_matches_nothing_lists_every_format_and_its_files()
    {
        using var folder = new TempFolder();
        folder.Write("readme.txt", "hello");

        var act = () => DatasetFolder.Detect(folder.Path);

        var message = act.Should().Throw<DatasetFormatException>().Which.Message;
        message.Should().Contain(folder.Path).And.Contain("matches no dataset format");
        foreach (var format in DatasetFolder.Formats)
            message.Should().Contain(format.Name).And.Contain(format.ExpectedFiles);
    }

    [Fact]
    public void A_folder_that_matches_two_formats_asks_for_format_and_format_overrides()
    {
        using var folder = new TempFolder();
        FormatFixtures.Write(DatasetFormat.MovieLens100K, folder);
        FormatFixtures.Write(DatasetFormat.LastFm, folder);

        var act = () => DatasetFolder.Detect(folder.Path);

        act.Should().Throw<DatasetFormatException>().WithMessage("*more than one dataset format*lastfm*movielens-100k*--format*");
        DatasetFolder.Detect(folder.Path, DatasetFormat.MovieLens100K).Format.Should().Be(DatasetFormat.MovieLens100K);
        DatasetFolder.Detect(folder.Path, DatasetFolder.ParseFormat("LASTFM")).Format.Should().Be(DatasetFormat.LastFm);
    }

    [Fact]
    public void A_forced_format_whose_files_are_missing_says_which_files_it_expects()
    {
        using var folder = new TempFolder();
        FormatFixtures.Write(DatasetFormat.LastFm, folder);

        var act = () => DatasetFolder.Detect(folder.Path, DatasetFormat.RecBoleBenchmark);

        act.Should().Throw<DatasetFormatException>().WithMessage("*does not hold the files of recbole-benchmark*X.train.inter*");
        var unknown = () => DatasetFolder.ParseFormat("parquet");
        unknown.Should().Throw<ArgumentException>().WithMessage("*parquet*lastfm*d3-csv*");
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var act = () => DatasetFolder.Detect("/no/such/dataset");

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*/no/such/dataset*");
    }
}
