using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class AmazonReviewsReaderTests
{
    private const string Ratings =
        "user_id,parent_asin,rating,timestamp\n" +
        "AE1,B01,5.0,1600000000000\n" +
        "AE1,B02,4.0,1600000001000\n" +
        "AE1,B02,4.0,1600000001000\n" +
        "AE2,B03,3.0,1600000002000\n" +
        "AE2,B01,1.0,1600000003000\n" +
        "AE3,B04,2.0,1600000004000\n";

    private const string Metadata =
        """{"main_category": "Video Games", "title": "Halo \"Reach\"", "details": {"a": [1, 2]}, "parent_asin": "B01"}""" + "\n" +
        """{"title": "Zelda", "parent_asin": "B02", "price": null}""" + "\n" +
        """{"title": null, "parent_asin": "B03"}""" + "\n" +
        """{"title": "Never rated", "parent_asin": "B99"}""" + "\n" +
        """{"title": "  ", "parent_asin": "B04"}""" + "\n";

    [Fact]
    public void Reads_ratings_and_streams_titles_dropping_untitled_items_and_repeated_rows()
    {
        using var folder = new TempFolder();
        var data = AmazonReviewsReader.Read(folder.Write("Video_Games.csv", Ratings), folder.Write("meta_Video_Games.jsonl", Metadata));

        data.Catalog.Items.Should().Equal(
            new CatalogItem(0, "B01", "Halo \"Reach\"", "Video Games"),
            new CatalogItem(1, "B02", "Zelda"));
        data.ItemsWithoutTitle.Should().Be(2); // B03 (null title) and B04 (blank); B99 was never rated.
        data.InteractionsWithoutTitle.Should().Be(2);
        data.UserIds.Should().Equal("AE1", "AE2");
        data.Interactions.Should().Equal(
            new Interaction(0, 0, 5f, 1600000000000),
            new Interaction(0, 1, 4f, 1600000001000),
            new Interaction(1, 0, 1f, 1600000003000));
    }

    [Fact]
    public void Malformed_json_line_names_file_and_line()
    {
        using var folder = new TempFolder();
        string meta = folder.Write("meta.jsonl", "{\"title\": \"A\", \"parent_asin\": \"B01\"}\n{\"title\": \"B\", \"parent_asin\": \n");

        var act = () => AmazonReviewsReader.Read(folder.Write("r.csv", Ratings), meta);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.FilePath, error.LineNumber).Should().Be((meta, 2L));
        error.Message.Should().Contain("meta.jsonl").And.Contain("line 2");
    }

    [Fact]
    public void Missing_parent_asin_names_the_field()
    {
        using var folder = new TempFolder();
        string meta = folder.Write("meta.jsonl", "{\"title\": \"A\"}\n");

        var act = () => AmazonReviewsReader.Read(folder.Write("r.csv", Ratings), meta);

        act.Should().Throw<DatasetFormatException>().Which.Field.Should().Be("parent_asin");
    }

    [Fact]
    public void Invalid_utf8_in_metadata_names_the_line()
    {
        using var folder = new TempFolder();
        byte[] bad = [.. "{\"title\": \"ok\", \"parent_asin\": \"B01\"}\n{\"title\": \"bad "u8.ToArray(), 0xC3, 0x28, .. "\", \"parent_asin\": \"B02\"}\n"u8.ToArray()];
        string meta = folder.WriteBytes("meta.jsonl", bad);

        var act = () => AmazonReviewsReader.Read(folder.Write("r.csv", Ratings), meta);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.LineNumber.Should().Be(2);
        error.Message.Should().Contain("invalid utf-8");
    }
}
