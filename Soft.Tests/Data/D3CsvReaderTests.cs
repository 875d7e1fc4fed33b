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

    [Theory]
    [InlineData("Halo\t0\nZelda\t1\n", "title<TAB>id")]
    [InlineData("0\tHalo\n1\tZelda\n", "id<TAB>title")]
    [InlineData("<a_236><b_231><c_226>\tHalo\t0\n<a_1><b_2><c_3>\tZelda\t1\n", "code<TAB>title<TAB>id")]
    [InlineData("item_id\ttitle\n0\tHalo\n1\tZelda\n", "header")]
    [InlineData("sid\ttitle\titem_id\n<a_1>\tHalo\t0\n<a_2>\tZelda\t1\n", "header")]
    public void The_item_table_layout_is_recognised_by_content_or_header(string table, string layout)
    {
        using var folder = new TempFolder();

        var catalog = D3CsvReader.ReadItemTable(folder.Write("info.txt", table));

        catalog.Items.Select(i => (i.Id, i.Title)).Should().Equal([("0", "Halo"), ("1", "Zelda")], because: $"the table is {layout}");
    }

    [Fact]
    public void An_item_table_whose_columns_cannot_be_told_apart_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.Write("info.txt", "1984\t0\n2001\t1\n");

        var act = () => D3CsvReader.ReadItemTable(path);

        act.Should().Throw<DatasetFormatException>().WithMessage($"{path}, line 1: *more than one layout*title<TAB>id*id<TAB>title*header row*");
    }

    [Fact]
    public void An_item_table_row_that_fits_no_layout_is_named()
    {
        using var folder = new TempFolder();
        string path = folder.Write("info.txt", "<a_1><b_2>\tHalo\t0\n<a_3><b_4>\tZelda\t1\nPortal\n");

        var act = () => D3CsvReader.ReadItemTable(path);

        act.Should().Throw<DatasetFormatException>().WithMessage($"{path}, line 3: the row 'Portal' fits none*code<TAB>title<TAB>id*");
    }
}
