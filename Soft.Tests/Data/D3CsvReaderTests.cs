using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class D3CsvReaderTests
{
    // The column layout DecodingMatters' process.py writes with csv.writer; lists are Python reprs.
    private const string Header = "user_id,item_asins,item_asin,history_item_id,item_id,history_item_title,item_title,history_rating,rating,history_timestamp,timestamp\n";

    [Fact]
    public void Reads_python_list_columns_and_the_item_table()
    {
        using var folder = new TempFolder();
        string info = folder.Write("info/Games.txt", "Halo\t0\nMario's Kart\t1\nSay \"Hi\"\t2\nTab\tTitle\t3\n");
        string train = folder.Write("train/Games.csv", Header +
            "A1,\"['x', 'y']\",z,\"[0, 1]\",2,\"['Halo', \"\"Mario's Kart\"\"]\",\"Say \"\"Hi\"\"\",\"[5.0, 4.0]\",3.0,\"[1, 2]\",3\n");
        string valid = folder.Write("valid/Games.csv", Header +
            "A2,\"['x']\",z,[2],3,\"['Say \"\"Hi\"\"']\",Tab\tTitle,[5.0],3.0,[4],5\n");
        string test = folder.Write("test/Games.csv", Header);

        var dataset = D3CsvReader.Read(train, valid, test, info, RecommendationDomain.VideoGames, new DatasetOptions().WithAllSamples());

        dataset.Catalog.Items.Select(i => i.Title).Should().Equal("Halo", "Mario's Kart", "Say \"Hi\"", "Tab\tTitle");
        dataset.Train.Single().Should().BeEquivalentTo(new RecommendationSample("A1", [0, 1], 2, 3));
        dataset.Valid.Single().Should().BeEquivalentTo(new RecommendationSample("A2", [2], 3, 5));
        dataset.Test.Should().BeEmpty();
        dataset.Prompt(dataset.Train[0]).Prompt.Should().Contain("The user has played the following video games before: \"Halo\", \"Mario's Kart\"\n");
        dataset.Prompt(dataset.Train[0]).Completion.Should().Be("\"Say \\\"Hi\\\"\"");
    }

    [Fact]
    public void Without_an_item_table_the_catalogue_comes_from_the_csvs()
    {
        using var folder = new TempFolder();
        string train = folder.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[10, 11]\",\"['A', 'B']\",12,C\n\"[12]\",\"['C']\",10,A\n");
        string empty = folder.Write("empty.csv", "history_item_id,history_item_title,item_id,item_title\n");

        var dataset = D3CsvReader.Read(train, empty, empty, null, RecommendationDomain.Products, new DatasetOptions().WithAllSamples());

        dataset.Catalog.Items.Select(i => (i.Id, i.Title)).Should().Equal(("10", "A"), ("11", "B"), ("12", "C"));
        dataset.Train.Select(s => s.Target).Should().Equal(2, 0);
    }

    [Fact]
    public void Unknown_item_id_names_file_line_and_field()
    {
        using var folder = new TempFolder();
        string info = folder.Write("info.txt", "A\t0\nB\t1\n");
        string train = folder.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n[0],['A'],1,B\n\"[0, 9]\",\"['A', 'Z']\",1,B\n");
        string empty = folder.Write("empty.csv", "history_item_id,history_item_title,item_id,item_title\n");

        var act = () => D3CsvReader.Read(train, empty, empty, info, RecommendationDomain.Products);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.FilePath, error.LineNumber, error.Field).Should().Be((train, 3L, "history_item_id"));
    }

    [Fact]
    public void Broken_python_list_names_the_column()
    {
        using var folder = new TempFolder();
        string train = folder.Write("train.csv", "history_item_id,history_item_title,item_id,item_title\n\"[0, 1\",\"['A', 'B']\",1,B\n");

        var act = () => D3CsvReader.Read(train, train, train, null, RecommendationDomain.Products);

        var error = act.Should().Throw<DatasetFormatException>().Which;
        (error.LineNumber, error.Field).Should().Be((2L, "history_item_id"));
    }
}
