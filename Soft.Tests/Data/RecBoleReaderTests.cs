using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class RecBoleReaderTests
{
    [Fact]
    public void Atomic_inter_and_item_files_round_trip()
    {
        using var folder = new TempFolder();
        string inter = folder.Write("ml.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n186\t302\t3\t891717742.0\n196\t302\t4\t881250950\n");
        string item = folder.Write("ml.item", "item_id:token\tmovie_title:token_seq\trelease_year:token\n242\tKolya\t1996\n302\tL.A. Confidential\t1997\n");

        var data = RecBoleReader.ReadAtomic(inter, item);

        data.Name.Should().Be("ml");
        data.Catalog.Items.Select(i => (i.Id, i.Title)).Should().Equal(("242", "Kolya"), ("302", "L.A. Confidential"));
        data.UserIds.Should().Equal("196", "186");
        data.Interactions.Should().Equal(
            new Interaction(0, 0, 3f, 881250949),
            new Interaction(1, 1, 3f, 891717742),
            new Interaction(0, 1, 4f, 881250950));
    }

    [Fact]
    public void Benchmark_files_keep_their_split_with_titles_from_the_text_file()
    {
        using var folder = new TempFolder();
        folder.Write("Scientific.text", "item_id:token\ttext:token_seq\n1\tMicroscope\n2\tLab coat\n3\tPetri dish\n4\tBeaker\n");
        folder.Write("Scientific.train.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\nu1\t1\t2\nu1\t1 2\t3\n");
        folder.Write("Scientific.valid.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\nu1\t1 2 3\t4\n");
        folder.Write("Scientific.test.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\nu1\t1 2 3 4\t1\n");

        var dataset = RecBoleReader.ReadBenchmark(folder.Path, "Scientific", RecommendationDomain.Products, new DatasetOptions { HistoryLength = 3 }.WithAllSamples());

        dataset.Protocol.Should().Be(SplitProtocol.Predefined);
        dataset.Train.Should().BeEquivalentTo(new[]
        {
            new RecommendationSample("u1", [0], 1),
            new RecommendationSample("u1", [0, 1], 2),
        }, o => o.WithStrictOrdering());
        dataset.Valid.Single().Should().BeEquivalentTo(new RecommendationSample("u1", [0, 1, 2], 3));
        dataset.Test.Single().Should().BeEquivalentTo(new RecommendationSample("u1", [1, 2, 3], 0), because: "histories keep their 3 most recent items");
        dataset.Statistics.Interactions.Should().BeNull();
        dataset.Statistics.Users.Should().Be(1);
    }

    [Fact]
    public void Benchmark_row_with_an_unknown_item_names_file_line_and_field()
    {
        using var folder = new TempFolder();
        folder.Write("x.item", "item_id:token\ttitle:token_seq\n1\tA\n2\tB\n");
        folder.Write("x.train.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\nu1\t1\t2\nu2\t1 7\t2\n");
        folder.Write("x.valid.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\n");
        folder.Write("x.test.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\n");

        var act = () => RecBoleReader.ReadBenchmark(folder.Path, "x", RecommendationDomain.Products);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.FilePath, error.LineNumber, error.Field).Should().Be((folder.File("x.train.inter"), 3L, "item_id_list"));
        error.Message.Should().Contain("'7'");
    }

    [Fact]
    public void Short_row_names_the_missing_column()
    {
        using var folder = new TempFolder();
        string inter = folder.Write("a.inter", "user_id:token\titem_id:token\ttimestamp:float\n1\t1\t5\n2\t1\n");
        string item = folder.Write("a.item", "item_id:token\ttitle:token_seq\n1\tA\n");

        var act = () => RecBoleReader.ReadAtomic(inter, item);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.LineNumber, error.Field).Should().Be((3L, "timestamp"));
    }
}
