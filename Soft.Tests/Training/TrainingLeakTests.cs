using Soft.Curriculum;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;
using TorchSharp;

namespace Soft.Tests.Training;

/// <summary>Training steps and epochs free every tensor they create.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingLeakTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public TrainingLeakTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_live_tensor_count_is_the_same_after_every_step_and_every_epoch()
    {
        using var model = ModelTestKit.LoadStories();
        var real = TrainingTestKit.Pairs(32);
        var live = new List<long>();
        var progress = new TrainingTestKit.Recorder(_ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        DisposeScopeManager.Statistics.Reset();

        var result = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 3)).Train(new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = TrainingTestKit.Distilled(real),
            Scheduler = new FixedScheduler(0.5),
            Validate = (m, _) => new Dictionary<string, double> { ["HR@10"] = -m.Loss(real.Take(4).ToList()) },
            RunFolder = TrainingTestKit.Run(_temp),
            Stage = "soft",
        }, progress);

        result.Epochs.Should().HaveCount(3);
        live.Should().HaveCount(6);
        // The first step creates what lives for the whole stage (gradients); nothing accumulates after it, not per
        // step and not across epoch ends (validation, checkpoint, reload of the best epoch).
        live.Skip(1).Should().OnlyContain(n => n == live[1], string.Join(", ", live));
    }
}
