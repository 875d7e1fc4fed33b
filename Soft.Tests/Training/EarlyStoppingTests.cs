using Soft.Curriculum;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>Early stopping on the validation metric, and the best epoch (not the last) ends up in the model.</summary>
[Collection(TorchCollection.Name)]
public sealed class EarlyStoppingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public EarlyStoppingTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Training_stops_after_patience_epochs_without_improvement_and_restores_the_best_epoch()
    {
        using var model = ModelTestKit.LoadStories();
        var pairs = TrainingTestKit.Pairs(16);
        double[] hitRates = [0.5, 0.3, 0.4, 0.9, 0.9];
        int epoch = 0;
        var options = TrainingTestKit.Options(epochs: 5);
        options.EarlyStoppingPatience = 2;
        var run = TrainingTestKit.Run(_temp);

        var result = TrainingTestKit.Trainer(options).Train(new TrainingJob
        {
            Model = model,
            RealPairs = pairs,
            Scheduler = new FixedScheduler(0),
            Validate = (_, _) => new Dictionary<string, double> { ["HR@10"] = hitRates[epoch++], ["NDCG@10"] = 0.1 },
            RunFolder = run,
            Stage = "sft",
        });

        result.StopReason.Should().Be(TrainingStopReason.EarlyStopped);
        result.Epochs.Should().HaveCount(3);
        result.BestEpoch.Should().Be(1);
        result.BestMetric.Should().Be(0.5);
        result.Epochs[2].Validation.Should().Contain("NDCG@10", 0.1);
        run.IsComplete("sft/epoch-4").Should().BeFalse();

        // The model holds epoch 1's adapter, and best/ is a copy of it.
        string saved = _temp.Combine("now");
        result.Adapter!.Save(saved);
        File.ReadAllBytes(Path.Combine(saved, "adapter_model.safetensors"))
            .Should().Equal(TrainingTestKit.Bytes(run, "sft/epoch-1/adapter_model.safetensors"))
            .And.Equal(TrainingTestKit.Bytes(run, "sft/best/adapter_model.safetensors"))
            .And.NotEqual(TrainingTestKit.Bytes(run, "sft/epoch-3/adapter_model.safetensors"));
    }

    [Fact]
    public void A_validation_callback_without_the_metric_is_an_error_naming_it()
    {
        using var model = ModelTestKit.LoadStories();
        var act = () => TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 1)).Train(new TrainingJob
        {
            Model = model,
            RealPairs = TrainingTestKit.Pairs(4),
            Scheduler = new FixedScheduler(0),
            Validate = (_, _) => new Dictionary<string, double> { ["HR@20"] = 0.1 },
            RunFolder = TrainingTestKit.Run(_temp),
            Stage = "sft",
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("*'HR@10'*HR@20*");
        // The failed call took its adapter out again, so the model can be trained afresh.
        var retry = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 1)).Train(new TrainingJob
        {
            Model = model,
            RealPairs = TrainingTestKit.Pairs(4),
            Scheduler = new FixedScheduler(0),
            RunFolder = TrainingTestKit.Run(_temp, "retry"),
            Stage = "sft",
        });
        retry.BestEpoch.Should().Be(1);
    }
}
