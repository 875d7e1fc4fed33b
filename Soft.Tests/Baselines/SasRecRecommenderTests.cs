using Soft.Baselines;
using Soft.Runtime;

namespace Soft.Tests.Baselines;

[Collection(TorchCollection.Name)]
public sealed class SasRecRecommenderTests
{
    private static SasRecOptions Small(long seed, int epochs) =>
        new() { HiddenSize = 32, Layers = 1, Heads = 2, MaxEpochs = epochs, EarlyStoppingPatience = epochs, BatchSize = 256, LearningRate = 3e-3, Seed = seed };

    public SasRecRecommenderTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2 });

    [Fact]
    public void Learns_lastfm_beyond_popularity()
    {
        var (train, valid, test) = LastFmExamples.Load();
        var popularity = PopularityRecommender.Fit(train, LastFmExamples.ItemCount);

        // A slice of the training users keeps this a unit test; the benchmark trains on all of them.
        using var sasrec = SasRecRecommender.Fit(train.Take(8000).ToList(), valid, LastFmExamples.ItemCount, Small(seed: 5, epochs: 3));
        int[] ranks = sasrec.RanksOf(test);

        sasrec.Epochs.Select(e => e.TrainLoss).Should().BeInDescendingOrder();
        ranks.Should().OnlyContain(r => r >= 0 && r < LastFmExamples.ItemCount);
        double sasrecHr20 = ranks.Average(r => r < 20 ? 1.0 : 0.0);
        double popularityHr20 = test.Average(e => popularity.RankOf(e.Target) < 20 ? 1.0 : 0.0);
        sasrecHr20.Should().BeGreaterThan(popularityHr20);
    }

    [Fact]
    public void Same_seed_gives_the_same_model_and_another_seed_does_not()
    {
        var (train, valid, test) = LastFmExamples.Load();
        var slice = train.Take(1000).ToList();
        int[] Ranks(long seed)
        {
            using var model = SasRecRecommender.Fit(slice, valid, LastFmExamples.ItemCount, Small(seed, epochs: 1));
            return model.RanksOf(test);
        }

        int[] first = Ranks(5);
        Ranks(5).Should().Equal(first);
        Ranks(6).Should().NotEqual(first);
    }

    [Fact]
    public void Popularity_ranks_by_count_with_ties_by_id()
    {
        var pop = PopularityRecommender.Fit([new([2, 2, 1], 0), new([2], 3)], itemCount: 5);
        pop.Top(5).Should().Equal(2, 0, 1, 3, 4);
        pop.RankOf(2).Should().Be(0);
        pop.RankOf(1).Should().Be(2);
        pop.RankOf(4).Should().Be(4);
    }

    [Fact]
    public void Bad_options_and_ids_are_rejected_with_their_names()
    {
        var act = () => SasRecRecommender.Fit([new([0], 1)], [], 2, new SasRecOptions { Heads = 3, HiddenSize = 64 });
        act.Should().Throw<ArgumentException>().WithMessage("*Heads*");
        var badId = () => SasRecRecommender.Fit([new([0], 7)], [], 2, new SasRecOptions());
        badId.Should().Throw<ArgumentException>().WithMessage("*training[0]*");
    }
}
