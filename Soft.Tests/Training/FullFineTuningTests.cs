using Soft.Curriculum;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>Without LoRA options the trainer tunes every parameter and checkpoints Hugging Face model folders.</summary>
[Collection(TorchCollection.Name)]
public sealed class FullFineTuningTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public FullFineTuningTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_parameter_trains_and_a_rerun_reloads_the_saved_model()
    {
        var pairs = TrainingTestKit.Pairs(16);
        var options = TrainingTestKit.Options(epochs: 1);
        options.Lora = null;
        options.LearningRate = 1e-3;
        var run = TrainingTestKit.Run(_temp);
        double before, trained;
        TrainingResult result;
        using (var model = ModelTestKit.LoadStories())
        {
            before = model.Loss(pairs);
            result = TrainingTestKit.Trainer(options).Train(Job(model, run));
            trained = model.Loss(pairs);
        }

        result.Adapter.Should().BeNull();
        result.TrainableParameters.Should().Be(result.TotalParameters).And.BeGreaterThan(200_000);
        trained.Should().BeLessThan(before);
        foreach (string file in new[] { "sft/epoch-1/model.safetensors", "sft/epoch-1/config.json", "sft/epoch-1/optimizer.safetensors", "sft/best/model.safetensors", "sft/best/tokenizer.model" })
            File.Exists(run.PathOf(file)).Should().BeTrue(file);
        File.Exists(run.PathOf("sft/best/optimizer.safetensors")).Should().BeFalse("best/ holds the model only");

        using var fresh = ModelTestKit.LoadStories();
        var again = TrainingTestKit.Trainer(options).Train(Job(fresh, run));
        again.ReusedFromRunFolder.Should().BeTrue();
        fresh.Loss(pairs).Should().Be(trained);
    }

    private static TrainingJob Job(Soft.Models.TorchLanguageModel model, Soft.Runs.RunFolder run) => new()
    {
        Model = model,
        RealPairs = TrainingTestKit.Pairs(16),
        Scheduler = new FixedScheduler(0),
        RunFolder = run,
        Stage = "sft",
    };
}
