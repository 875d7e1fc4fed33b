using Soft.Baselines;
using Soft.Data;
using Soft.Recommenders;
using Soft.Runtime;

namespace Soft.Tests.Baselines;

/// <summary>The classical baselines behind <see cref="IRecommender"/>: the same call and rules as the language model.</summary>
[Collection(TorchCollection.Name)]
public sealed class BaselineRecommenderTests
{
    private static readonly ItemCatalog Catalog = new(
        new[] { "a", "b", "c", "d", "e" }.Select((id, i) => new CatalogItem(i, id, $"Title {id.ToUpperInvariant()}")));

    public BaselineRecommenderTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2 });

    [Fact]
    public void Popularity_answers_by_count_leaving_out_the_history_and_filtered_items()
    {
        IRecommender pop = PopularityRecommender.Fit([new([2, 2, 1], 0), new([2], 3)], Catalog);
        pop.Recommend(["c"], 5).Select(r => r.ItemId).Should().Equal("a", "b", "d", "e");
        pop.Recommend(["Title C", "a"], 2).Select(r => (r.ItemId, r.Title, r.Score, r.Rank)).Should().Equal(("b", "Title B", 1.0, 1), ("d", "Title D", 1.0, 2));

        IRecommender filtered = PopularityRecommender.Fit([new([2, 2, 1], 0), new([2], 3)], Catalog,
            new RecommenderOptions { ExcludeHistory = false, OnlyItems = ["c", "d", "e"], ExcludedItems = ["d"] });
        filtered.RecommendMany([["c"], ["a"]], 5).Select(l => string.Join(",", l.Select(r => r.ItemId))).Should().Equal("c,e", "c,e");
    }

    [Fact]
    public void Popularity_without_a_catalogue_names_items_by_index_and_follows_the_shared_rules()
    {
        IRecommender pop = PopularityRecommender.Fit([new([2, 2, 1], 0)], itemCount: 3);
        pop.Recommend(["1"], 3).Select(r => r.ItemId).Should().Equal("2", "0");
        var unknown = () => pop.Recommend(["7"], 3);
        unknown.Should().Throw<UnknownItemsException>().WithMessage("*'7'*");
        var empty = () => pop.Recommend([], 3);
        empty.Should().Throw<EmptyHistoryException>();
        var k = () => pop.Recommend(["1"], 4);
        k.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("k");
    }

    [Fact]
    public void SasRec_ranks_as_its_own_ranks_of_and_concurrent_calls_agree()
    {
        var (train, valid, test) = LastFmExamples.Load();
        using var sasrec = SasRecRecommender.Fit(train.Take(500).ToList(), valid, LastFmExamples.ItemCount,
            new SasRecOptions { HiddenSize = 16, Layers = 1, Heads = 1, MaxEpochs = 1, EarlyStoppingPatience = 1, BatchSize = 256, Seed = 3 });
        sasrec.UseCatalog(IndexCatalogOf(LastFmExamples.ItemCount), new RecommenderOptions { ExcludeHistory = false });
        var examples = test.Take(12).ToList();
        int[] ranks = sasrec.RanksOf(examples);
        var histories = examples.Select(e => (IReadOnlyList<string>)[.. e.History.Select(i => $"item{i}")]).ToList();

        var answers = sasrec.RecommendMany(histories, LastFmExamples.ItemCount);
        for (int i = 0; i < examples.Count; i++)
            answers[i].Select(r => r.ItemId).ToList().IndexOf($"item{examples[i].Target}").Should().Be(ranks[i]);

        var sequential = histories.Select(h => sasrec.Recommend(h, 10)).ToList();
        var parallel = new RecommendationList[examples.Count * 4];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = sasrec.Recommend(histories[i % examples.Count], 10));
        for (int i = 0; i < parallel.Length; i++)
            parallel[i].Select(r => (r.ItemId, r.Score)).Should().Equal(sequential[i % examples.Count].Select(r => (r.ItemId, r.Score)));

        var wrongSize = () => sasrec.UseCatalog(Catalog);
        wrongSize.Should().Throw<ArgumentException>().WithMessage("*5 items*4606*");
        var cold = () => sasrec.Recommend([], 3);
        cold.Should().Throw<EmptyHistoryException>();
    }

    private static ItemCatalog IndexCatalogOf(int count) =>
        new(Enumerable.Range(0, count).Select(i => new CatalogItem(i, $"item{i}", $"Artist {i}")));
}
