using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class TrainingSequencesTests
{
    [Fact]
    public void LastFm_training_sequences_are_the_training_users_sequences_whatever_the_subset()
    {
        var expected = EmbeddedDatasets.LastFmSequences().Sequences.Where(s => s.Split == DataSplit.Train).Select(s => s.Items.ToArray()).ToList();

        var subset = EmbeddedDatasets.LastFm(new DatasetOptions { TrainSubset = 64 });

        subset.Train.Should().HaveCount(64);
        subset.TrainingSequences.Select(s => s.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [SkippableFact]
    public void Soft_protocol_windows_chain_back_into_one_sequence_per_user_with_each_transition_once()
    {
        var dataset = MovieLensReader.Load(MovieLens100K.RequireFolder(), new DatasetOptions { TrainSubset = null, ValidSubset = null, TestSubset = null });

        // Each chain opens with its first sample's full history; every training sample then adds its target once.
        (dataset.TrainingSequences.Sum(s => s.Count) - (dataset.TrainingSequences.Count * dataset.HistoryLength)).Should().Be(dataset.Train.Count);
        var pairs = dataset.TrainingSequences.SelectMany(s => s.Zip(s.Skip(1))).ToHashSet();
        dataset.Train.Where(t => !pairs.Contains((t.History[t.History.Count - 1], t.Target))).Should().BeEmpty();
        dataset.TrainingSequences.Count.Should().BeLessThanOrEqualTo(dataset.Train.Select(t => t.UserId).Distinct().Count());
    }
}
