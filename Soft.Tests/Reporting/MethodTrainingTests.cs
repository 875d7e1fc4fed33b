using Soft.Curriculum;
using Soft.Reporting;
using Soft.Training;

namespace Soft.Tests.Reporting;

public sealed class MethodTrainingTests
{
    [Fact]
    public void A_stage_result_becomes_the_report_entry_with_its_stop_reason_kept_epoch_and_d0()
    {
        var epochs = ReportSamples.Full().Training[ReportMethodNames.Soft].EpochRecords;
        var result = new TrainingResult
        {
            Stage = "soft",
            StopReason = TrainingStopReason.EarlyStopped,
            BestEpoch = 1,
            MetricName = "NDCG@10",
            Epochs = epochs,
            History = new CurriculumHistory(2.5, epochs.Select(e => new EpochStatistics(e.Epoch, e.Lambda, e.Distance, e.RealLoss, e.DistilledLoss, e.CombinedLoss))),
            TrainableParameters = 1,
            TotalParameters = 2,
        };

        var training = MethodTraining.From(result);

        training.Should().Be(new MethodTraining
        {
            StopReason = TrainingStopReason.EarlyStopped,
            BestEpoch = 1,
            MetricName = "NDCG@10",
            InitialDistance = 2.5,
            EpochRecords = [.. epochs],
        });
        training.Epochs.Should().Be(2);
        training.Describe().Should().Be("stopped at epoch 2 (early-stopped: NDCG@10 did not improve), kept epoch 1");
    }

    [Fact]
    public void Trainings_that_differ_in_one_epoch_loss_are_not_equal()
    {
        var training = ReportSamples.Full().Training[ReportMethodNames.Soft];
        var changed = training with { EpochRecords = [training.EpochRecords[0], training.EpochRecords[1] with { DistilledLoss = 1.4 }] };

        ReportSamples.Full().Training[ReportMethodNames.Soft].Should().Be(training);
        changed.Should().NotBe(training);
    }

    [Theory]
    [InlineData(TrainingStopReason.MaxEpochs, "stopped at epoch 2 (max epochs), kept epoch 2")]
    [InlineData(TrainingStopReason.NonFinite, "stopped in epoch 3 (non-finite loss; the epoch was dropped), kept epoch 2")]
    public void Describe_says_why_the_stage_stopped(TrainingStopReason reason, string expected) =>
        (ReportSamples.Full().Training[ReportMethodNames.Soft] with { StopReason = reason }).Describe().Should().Be(expected);
}
