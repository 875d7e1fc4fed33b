using Soft.Data;
using Soft.Evaluation;

namespace Soft.Tests.Evaluation;

/// <summary>The item table artifact without a model: file format, validation and the duplicate-title rows.</summary>
public sealed class ItemEmbeddingTableFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ItemCatalog Catalog(params string[] titles) =>
        new(titles.Select((t, i) => new CatalogItem(i, $"id{i}", t)));

    private static ItemEmbeddingTable Table(ItemCatalog catalog, int width = 3) =>
        ItemEmbeddingTable.FromRows(catalog, [.. Enumerable.Range(0, catalog.Count).Select(i => Enumerable.Range(0, width).Select(j => MathF.Sin(i * 7 + j) * 1e3f).ToArray())]);

    [Fact]
    public void Round_trip_keeps_every_bit_including_special_values()
    {
        var catalog = Catalog("a", "b", "c");
        var table = ItemEmbeddingTable.FromRows(catalog, [[float.Epsilon, -0f, 1e-38f], [float.MaxValue, -1.5f, 3.25f], [0.1f, 0.2f, 0.3f]]);
        string path = _folder.Combine("items.safetensors");
        table.Save(path);
        var loaded = ItemEmbeddingTable.Load(path, catalog);
        for (int i = 0; i < 3; i++)
        {
            var expected = table.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits);
            loaded.Row(i).ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected);
        }
    }

    [Fact]
    public void The_file_is_safetensors_with_one_f32_tensor_named_items()
    {
        string path = _folder.Combine("items.safetensors");
        Table(Catalog("a", "b")).Save(path);
        var bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        header.Should().Contain("\"items\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}");
        bytes.Length.Should().Be(8 + (int)headerLength + 24);
        (headerLength % 8).Should().Be(0);
    }

    [Fact]
    public void Loading_for_a_catalogue_of_another_size_names_the_file()
    {
        string path = _folder.Combine("items.safetensors");
        Table(Catalog("a", "b", "c")).Save(path);
        var act = () => ItemEmbeddingTable.Load(path, Catalog("a", "b"));
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("3 rows").And.Contain("2 items");
    }

    [Fact]
    public void A_truncated_or_foreign_file_names_the_file()
    {
        string path = _folder.Combine("items.safetensors");
        Table(Catalog("a", "b")).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var truncated = () => ItemEmbeddingTable.Load(path, Catalog("a", "b"));
        truncated.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path);

        File.WriteAllBytes(path, [1, 2, 3]);
        var tiny = () => ItemEmbeddingTable.Load(path, Catalog("a", "b"));
        tiny.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path);

        var missing = () => ItemEmbeddingTable.Load(_folder.Combine("none.safetensors"), Catalog("a"));
        missing.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Ranking_rows_are_the_first_item_of_each_title()
    {
        var table = Table(Catalog("x", "y", "x", "z", "y"));
        table.RankingRows.Should().Equal(0, 1, 3);
        Enumerable.Range(0, 5).Select(table.IsRankingRow).Should().Equal(true, true, false, true, false);
        Enumerable.Range(0, 5).Select(table.RankingRowOf).Should().Equal(0, 1, 0, 3, 1);
    }

    [Fact]
    public void Nearest_returns_the_closest_ranking_row_with_ties_to_the_smaller_id()
    {
        var catalog = Catalog("a", "b", "a", "c");
        var table = ItemEmbeddingTable.FromRows(catalog, [[0, 0], [1, 0], [0, 0], [-1, 0]]);
        table.Nearest([0.9f, 0]).Should().Be(1);
        table.Nearest([0, 0.1f]).Should().Be(0, "item 2 shares item 0's title and is not a ranking row");
        table.Nearest([0, 1f]).Should().Be(0, "(0,1) is at 1 from item 0 and at √2 from items 1 and 3");
        var tied = ItemEmbeddingTable.FromRows(catalog, [[5, 5], [1, 0], [5, 5], [-1, 0]]);
        tied.Nearest([0, 0]).Should().Be(1, "items 1 and 3 are both at distance 1; the smaller id wins");
        ItemEmbeddingTable.Distance([3, 4], [0, 0]).Should().Be(5);
    }
}
