using Soft.Curriculum;
using Soft.Models;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Soft.Tests.Training;

/// <summary>Plain SFT (λ = 0) through the curriculum trainer on stories260K with LastFM prompts.</summary>
[Collection(TorchCollection.Name)]
public sealed class SftTrainingTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public SftTrainingTests(ITestOutputHelper output)
    {
        _output = output;
        ModelTestKit.Initialize();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Real_only_training_lowers_the_loss_and_changes_only_the_adapter()
    {
        using var model = ModelTestKit.LoadStories();
        var pairs = TrainingTestKit.Pairs(32);
        var before = Snapshot(model);
        double lossBefore = model.Loss(pairs);
        var run = TrainingTestKit.Run(_temp);
        var recorder = new TrainingTestKit.Recorder();

        var result = TrainingTestKit.Trainer(TrainingTestKit.Options()).Train(
            new TrainingJob { Model = model, RealPairs = pairs, Scheduler = new FixedScheduler(0), RunFolder = run, Stage = "sft" },
            recorder);

        foreach (var epoch in result.Epochs)
            _output.WriteLine($"epoch {epoch.Epoch}: loss {epoch.CombinedLoss:F4}, train {epoch.TrainSeconds:F2} s, total {epoch.Seconds:F2} s");
        result.StopReason.Should().Be(TrainingStopReason.MaxEpochs);
        result.Epochs.Select(e => e.Lambda).Should().Equal(0, 0);
        result.Epochs.Should().OnlyContain(e => e.DistilledLoss == null && e.RealLoss != null && e.Steps == 2 && e.SkippedSteps == 0);
        result.Epochs[1].CombinedLoss.Should().BeLessThan(result.Epochs[0].CombinedLoss);
        model.Loss(pairs).Should().BeLessThan(lossBefore - 0.05);
        result.BestEpoch.Should().Be(2);
        // 5 layers; q_proj 64→64 and v_proj 64→32 (4 KV heads of 8), each with A (4 × in) and B (out × 4).
        result.TrainableParameters.Should().Be(5 * ((4 * 64 + 64 * 4) + (4 * 64 + 32 * 4)));
        result.TotalParameters.Should().Be(result.TrainableParameters + before.Values.Sum(v => (long)v.Length));
        recorder.Reports.Select(r => r.Step).Should().Equal(1, 2, 3, 4);
        recorder.Reports.Should().OnlyContain(r => r.TotalSteps == 4 && r.Stage == "sft" && r.LearningRate == 5e-3 && r.Lambda == 0 && r.Eta != null);
        recorder.Reports.Select(r => r.Epoch).Should().Equal(1, 1, 2, 2);
        recorder.Reports[^1].Eta.Should().Be(TimeSpan.Zero);

        foreach (string file in new[] { "sft/epoch-1/adapter_config.json", "sft/epoch-1/adapter_model.safetensors", "sft/epoch-1/optimizer.safetensors",
                     "sft/epoch-1/trainer_state.json", "sft/epoch-2/adapter_model.safetensors", "sft/best/adapter_model.safetensors",
                     "sft/best/adapter_config.json", "sft/trainer_state.json", "sft/curriculum.jsonl" })
            File.Exists(run.PathOf(file)).Should().BeTrue(file);
        File.ReadAllLines(run.PathOf("sft/curriculum.jsonl")).Should().HaveCount(2);
        run.IsComplete("sft").Should().BeTrue();
        run.IsComplete("sft/epoch-2").Should().BeTrue();

        // Every LoRA matrix moved; after taking the adapter out, every base weight is bit-identical to before.
        var adapter = result.Adapter!;
        adapter.NamedTrainableParameters().Should().OnlyContain(p => p.Parameter.abs().sum().item<float>() > 0);
        adapter.Unload();
        var after = Snapshot(model);
        after.Keys.Should().BeEquivalentTo(before.Keys);
        foreach (var (name, values) in before)
            after[name].Should().Equal(values, name);
    }

    private static Dictionary<string, float[]> Snapshot(TorchLanguageModel model)
    {
        using var scope = NewDisposeScope();
        return model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());
    }
}
