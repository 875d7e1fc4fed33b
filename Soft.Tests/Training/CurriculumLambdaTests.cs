using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>λ comes from the scheduler each epoch, and the loss mixes the real and distilled terms by it.</summary>
[Collection(TorchCollection.Name)]
public sealed class CurriculumLambdaTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public CurriculumLambdaTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Adaptive_lambda_starts_at_one_and_follows_the_measured_distances()
    {
        using var model = ModelTestKit.LoadStories();
        var real = TrainingTestKit.Pairs(16);
        // d_0, d_1, d_2: the second epoch sees d_1/d_0 = 0.75, the third d_2/d_0 = 0.4.
        double[] distances = [2.0, 1.5, 0.8];
        int calls = 0;
        var options = TrainingTestKit.Options(epochs: 2);
        var scheduler = new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = 1 }));

        var result = TrainingTestKit.Trainer(options).Train(new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = TrainingTestKit.Distilled(real),
            Scheduler = scheduler,
            Distance = (_, _) => distances[calls++],
            RunFolder = TrainingTestKit.Run(_temp),
            Stage = "soft",
        });

        calls.Should().Be(3, "d_0 before epoch 1 and one distance after each of the 2 epochs");
        result.History.InitialDistance.Should().Be(2.0);
        result.Epochs.Select(e => e.Distance).Should().Equal(1.5, 0.8);
        result.Epochs[0].Lambda.Should().Be(1);
        // λ_e = min(exp(α (d_{e-1}/d_0 − 1)), 1), from the logged values.
        double d0 = result.History.InitialDistance!.Value;
        result.Epochs[1].Lambda.Should().Be(Math.Min(Math.Exp(1 * (result.Epochs[0].Distance!.Value / d0 - 1)), 1));
        result.Epochs[1].Lambda.Should().BeApproximately(Math.Exp(-0.25), 1e-12);
        // Both terms are measured whatever λ; at λ = 1 the loss on D is measured without being trained on.
        result.Epochs[0].RealLoss.Should().NotBeNull();
        result.Epochs[0].DistilledLoss.Should().NotBeNull();
        result.Epochs[1].RealLoss.Should().NotBeNull();
        result.Epochs[1].DistilledLoss.Should().NotBeNull();
        double lambda = result.Epochs[1].Lambda;
        result.Epochs[1].CombinedLoss.Should().BeApproximately((1 - lambda) * result.Epochs[1].RealLoss!.Value + lambda * result.Epochs[1].DistilledLoss!.Value, 1e-5);
    }

    [Fact]
    public void With_lambda_one_the_real_targets_do_not_matter_but_the_distilled_ones_do()
    {
        var real = TrainingTestKit.Pairs(16);
        var distilled = TrainingTestKit.Distilled(real);
        var garbage = real.Select(p => p with { Target = "zq xv zq" }).ToList();

        byte[] withReal = TrainOneEpoch(real, distilled, "a");
        byte[] withGarbage = TrainOneEpoch(garbage, distilled, "b");
        byte[] otherDistilled = TrainOneEpoch(real, real, "c");

        withGarbage.Should().Equal(withReal);
        otherDistilled.Should().NotEqual(withReal);
    }

    private byte[] TrainOneEpoch(IReadOnlyList<Soft.Models.PromptTarget> real, IReadOnlyList<Soft.Models.PromptTarget> distilled, string name)
    {
        using var model = ModelTestKit.LoadStories();
        var run = TrainingTestKit.Run(_temp, name);
        var result = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 1)).Train(new TrainingJob
        {
            Model = model,
            RealPairs = real,
            DistilledPairs = distilled,
            Scheduler = new FixedScheduler(1),
            RunFolder = run,
            Stage = "ablation",
        });
        // The loss on the real targets is still measured (the garbage ones score worse), only not trained on.
        result.Epochs.Should().ContainSingle().Which.RealLoss.Should().NotBeNull();
        return TrainingTestKit.Bytes(run, "ablation/best/adapter_model.safetensors");
    }
}
