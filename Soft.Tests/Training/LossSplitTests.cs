using Soft.Curriculum;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>
/// Every epoch reports the loss on D and on D̂ separately whatever λ, and the optimised loss is their mix: at the
/// curriculum's two ends it is exactly one of them.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class LossSplitTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public LossSplitTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void At_lambda_zero_the_combined_loss_is_the_loss_on_D_and_the_loss_on_D_hat_is_still_measured()
    {
        var epoch = TrainOneEpoch(lambda: 0, "zero");

        epoch.RealLoss.Should().NotBeNull();
        epoch.DistilledLoss.Should().NotBeNull("D̂ exists, so its loss is measured although it carries no weight");
        epoch.CombinedLoss.Should().BeApproximately(epoch.RealLoss!.Value, 1e-9);
        // The two targets differ, so the check above could not pass by both losses being the same number.
        epoch.DistilledLoss!.Value.Should().NotBeApproximately(epoch.RealLoss.Value, 1e-3);
    }

    [Fact]
    public void At_lambda_one_the_combined_loss_is_the_loss_on_D_hat_and_the_loss_on_D_is_still_measured()
    {
        var epoch = TrainOneEpoch(lambda: 1, "one");

        epoch.DistilledLoss.Should().NotBeNull();
        epoch.RealLoss.Should().NotBeNull("D exists, so its loss is measured although it carries no weight");
        epoch.CombinedLoss.Should().BeApproximately(epoch.DistilledLoss!.Value, 1e-9);
        epoch.RealLoss!.Value.Should().NotBeApproximately(epoch.DistilledLoss.Value, 1e-3);
    }

    private EpochRecord TrainOneEpoch(double lambda, string name)
    {
        using var model = ModelTestKit.LoadStories();
        var real = TrainingTestKit.Pairs(16);
        var result = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 1)).Train(new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = TrainingTestKit.Distilled(real),
            Scheduler = new FixedScheduler(lambda),
            RunFolder = TrainingTestKit.Run(_temp, name),
            Stage = "soft",
        });
        var epoch = result.Epochs.Should().ContainSingle().Subject;
        epoch.Lambda.Should().Be(lambda);
        return epoch;
    }
}
