using Soft.Curriculum;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;
using static TorchSharp.torch;

namespace Soft.Tests.Training;

/// <summary>NaN losses skip their step; a streak of them stops the stage with the last good epoch kept.</summary>
[Collection(TorchCollection.Name)]
public sealed class NonFiniteLossTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public NonFiniteLossTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Poisoned_steps_are_skipped_and_a_streak_stops_the_stage_keeping_the_last_good_epoch()
    {
        // 32 pairs in steps of 16, micro-batches of 8: two loss calls per good step, one per bad one (its first NaN ends
        // the step). Epoch 1: step 1 bad (call 0, survived), step 2 good (calls 1, 2). Epoch 2: both steps bad (calls
        // 3 and 4), a streak of 2: stop.
        using var model = new InterceptingModel(ModelTestKit.LoadStories(), call => call is 0 or 3 or 4);
        var options = TrainingTestKit.Options(epochs: 3);
        options.MaxConsecutiveNonFiniteSteps = 2;
        var trainer = TrainingTestKit.Trainer(options);
        var run = TrainingTestKit.Run(_temp);
        var progress = new TrainingTestKit.Recorder();

        var result = trainer.Train(new TrainingJob
        {
            Model = model,
            RealPairs = TrainingTestKit.Pairs(32),
            Scheduler = new FixedScheduler(0),
            RunFolder = run,
            Stage = "sft",
        }, progress);

        result.StopReason.Should().Be(TrainingStopReason.NonFinite);
        result.Epochs.Should().ContainSingle();
        result.Epochs[0].SkippedSteps.Should().Be(1);
        result.Epochs[0].CombinedLoss.Should().BeInRange(0, 100, "the epoch's loss averages its applied step only");
        result.SkippedSteps.Should().Be(3);
        model.Losses.Should().Be(5);
        result.BestEpoch.Should().Be(1);
        progress.Reports.Select(r => double.IsNaN(r.Loss)).Should().Equal(true, false, true, true);
        progress.Reports.Select(r => r.SkippedSteps).Should().Equal(1, 1, 2, 3);

        run.IsComplete("sft/epoch-1").Should().BeTrue();
        run.IsComplete("sft/epoch-2").Should().BeFalse();
        Directory.Exists(run.PathOf("sft/epoch-2")).Should().BeFalse();
        run.IsComplete("sft").Should().BeTrue("the stage ended, with epoch 1 as its result");

        // The model holds exactly the last good checkpoint, without a NaN anywhere.
        string saved = _temp.Combine("now");
        result.Adapter!.Save(saved);
        File.ReadAllBytes(Path.Combine(saved, "adapter_model.safetensors"))
            .Should().Equal(TrainingTestKit.Bytes(run, "sft/epoch-1/adapter_model.safetensors"));
        using var scope = NewDisposeScope();
        result.Adapter.TrainableParameters().Should().OnlyContain(p => p.isfinite().all().item<bool>());
    }

    [Fact]
    public void A_stage_that_diverges_before_finishing_an_epoch_reports_no_best_epoch_and_is_not_recorded_as_done()
    {
        using var model = new InterceptingModel(ModelTestKit.LoadStories(), _ => true);
        var options = TrainingTestKit.Options(epochs: 2);
        options.MaxConsecutiveNonFiniteSteps = 1;
        var trainer = TrainingTestKit.Trainer(options);
        var run = TrainingTestKit.Run(_temp);

        var result = trainer.Train(new TrainingJob
        {
            Model = model,
            RealPairs = TrainingTestKit.Pairs(32),
            Scheduler = new FixedScheduler(0),
            RunFolder = run,
            Stage = "sft",
        });

        result.StopReason.Should().Be(TrainingStopReason.NonFinite);
        result.BestEpoch.Should().BeNull();
        result.BestFolder.Should().BeNull();
        result.Epochs.Should().BeEmpty();
        result.SkippedSteps.Should().Be(1);
        run.IsComplete("sft").Should().BeFalse();
    }
}
