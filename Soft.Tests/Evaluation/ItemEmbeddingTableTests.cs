using Soft.Data;
using Soft.Evaluation;
using Soft.Models;
using Soft.Tests.Models;

namespace Soft.Tests.Evaluation;

[Collection(TorchCollection.Name)]
public sealed class ItemEmbeddingTableTests : IDisposable
{
    private readonly TorchLanguageModel _model;
    private readonly TempFolder _folder = new();

    public ItemEmbeddingTableTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Rows_are_the_base_model_embeddings_of_the_quoted_titles()
    {
        var catalog = EvaluationData.LastFmCatalog(40);
        var reports = new List<(int Done, int Total)>();
        var table = ItemEmbeddingTable.Build(_model, catalog, batchSize: 16, progress: new SyncProgress(reports));

        table.Count.Should().Be(40);
        table.Dimension.Should().Be(64);
        var direct = _model.Embed([.. catalog.Items.Select(i => TitleQuoting.Quote(i.Title))]);
        for (int i = 0; i < catalog.Count; i++)
            table.Row(i).ToArray().Should().Equal(direct[i], $"row {i} is the embedding of \"{catalog[i].Title}\" in quotes");
        reports.Should().Equal((16, 40), (32, 40), (40, 40));
    }

    [Fact]
    public void Save_then_load_is_bit_exact_for_model_embeddings()
    {
        var catalog = EvaluationData.LastFmCatalog(200);
        var table = ItemEmbeddingTable.Build(_model, catalog);
        string path = _folder.Combine(ItemEmbeddingTable.FileName);
        table.Save(path);
        var loaded = ItemEmbeddingTable.Load(path, catalog);

        loaded.Count.Should().Be(catalog.Count);
        loaded.Dimension.Should().Be(table.Dimension);
        for (int i = 0; i < catalog.Count; i++)
        {
            if (!loaded.Row(i).SequenceEqual(table.Row(i)))
                Assert.Fail($"Row {i} changed in the round trip.");
        }
        Directory.GetFiles(_folder.Path).Should().ContainSingle("the atomic write leaves no temporary file");
        loaded.Source.Should().Be(ItemVectorSource.Title);
    }

    [Fact]
    public void Item_token_rows_embed_the_item_token_text_and_say_so_after_a_round_trip()
    {
        var catalog = EvaluationData.LastFmCatalog(12);
        var table = ItemEmbeddingTable.Build(_model, catalog, ItemVectorSource.ItemToken);
        string path = _folder.Combine("tokens.safetensors");
        table.Save(path);

        var loaded = ItemEmbeddingTable.Load(path, catalog);

        loaded.Source.Should().Be(ItemVectorSource.ItemToken);
        // Up to float rounding: the table embeds in batches, this call one text alone.
        ModelTestKit.MaxAbsDiff(loaded.Row(5).ToArray(), [.. _model.Embed([ItemTokenText.Of(5)])[0].Select(v => (double)v)]).Should().BeLessThan(1e-4);
        ModelTestKit.MaxAbsDiff(loaded.Row(5).ToArray(), [.. _model.Embed([TitleQuoting.Quote(catalog[5].Title)])[0].Select(v => (double)v)]).Should().BeGreaterThan(1e-2, "not the title's state");
        ItemEmbeddingTable.Resolve(ItemVectorSource.Automatic, EvaluationData.Template).Should().Be(ItemVectorSource.Title);
        ItemEmbeddingTable.Resolve(ItemVectorSource.Automatic, EvaluationData.Template.WithItemTokens()).Should().Be(ItemVectorSource.ItemToken);
        ItemEmbeddingTable.Resolve(ItemVectorSource.Title, EvaluationData.Template.WithItemTokens()).Should().Be(ItemVectorSource.Title);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var act = () => ItemEmbeddingTable.Build(_model, EvaluationData.LastFmCatalog(10), cancellationToken: cancel.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    private sealed class SyncProgress(List<(int, int)> reports) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reports.Add(value);
    }
}
