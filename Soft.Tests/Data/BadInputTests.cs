using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class BadInputTests
{
    [Fact]
    public void Unknown_item_in_a_sequence_names_file_line_and_field()
    {
        using var folder = new TempFolder();
        folder.Write("id2name.txt", "0::A\n1::B\n");
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\ntest\tu1\t1 5 0\n");

        var act = () => LastFmReader.Read(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.FilePath, error.LineNumber, error.Field).Should().Be((folder.File("sequences.tsv"), 3L, "item_ids"));
        error.Message.Should().Contain("sequences.tsv").And.Contain("line 3").And.Contain("'5'");
    }

    [Fact]
    public void Llara_padding_id_is_not_an_item_and_is_skipped()
    {
        using var folder = new TempFolder();
        folder.Write("id2name.txt", "0::A\n1::B\n");
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t4606 4606 0 1\n");

        LastFmReader.Read(folder.Path).Sequences.Single().Items.Should().Equal(0, 1);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        using var folder = new TempFolder();
        folder.WriteBytes("id2name.txt", [.. "0::A\n1::B\n2::Caf"u8.ToArray(), 0xE9, .. "\n"u8.ToArray()]);
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");

        var act = () => LastFmReader.Read(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.FilePath, error.LineNumber).Should().Be((folder.File("id2name.txt"), 3L));
        error.Message.Should().Contain("id2name.txt").And.Contain("line 3").And.Contain("utf-8");
    }

    [Fact]
    public void Empty_catalogue_is_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        folder.Write("id2name.txt", "");
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\t0 1\n");

        var act = () => LastFmReader.Read(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.FilePath.Should().Be(folder.File("id2name.txt"));
        error.Message.Should().Contain("catalogue is empty");
    }

    [Fact]
    public void Malformed_row_names_the_missing_field()
    {
        using var folder = new TempFolder();
        folder.Write("id2name.txt", "0::A\n1::B\n");
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntrain\tu0\n");

        var act = () => LastFmReader.Read(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.LineNumber, error.Field).Should().Be((2L, "item_ids"));
    }

    [Fact]
    public void Unknown_split_names_the_field()
    {
        using var folder = new TempFolder();
        folder.Write("id2name.txt", "0::A\n1::B\n");
        folder.Write("sequences.tsv", "split\tuser\titem_ids\ntraining\tu0\t0 1\n");

        var act = () => LastFmReader.Read(folder.Path);

        act.Should().Throw<DatasetFormatException>().Which.Field.Should().Be("split");
    }

    [Fact]
    public void Unclosed_csv_quote_names_the_record_start()
    {
        using var folder = new TempFolder();
        folder.Write("movies.csv", "movieId,title,genres\n1,\"Toy Story (1995),Comedy\n2,Heat (1995),Action\n");
        folder.Write("ratings.csv", "userId,movieId,rating,timestamp\n");

        var act = () => MovieLensReader.ReadLatest(folder.Path);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        error.LineNumber.Should().Be(2);
        error.Message.Should().Contain("not closed");
    }

    [Fact]
    public void Missing_column_in_a_header_names_it()
    {
        using var folder = new TempFolder();
        string ratings = folder.Write("r.csv", "user_id,asin,rating,timestamp\nA,B,5,1\n");
        string meta = folder.Write("m.jsonl", "");

        var act = () => AmazonReviewsReader.Read(ratings, meta);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.LineNumber, error.Field).Should().Be((1L, "parent_asin"));
    }
}
