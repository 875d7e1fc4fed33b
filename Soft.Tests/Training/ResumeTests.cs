using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Models;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>A stage interrupted and resumed ends with exactly the numbers and bytes of an uninterrupted one.</summary>
[Collection(TorchCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private static readonly string[] SameBytes =
    [
        "soft/epoch-1/adapter_model.safetensors", "soft/epoch-2/adapter_model.safetensors", "soft/epoch-2/optimizer.safetensors",
        "soft/best/adapter_model.safetensors", "soft/best/adapter_config.json", "soft/curriculum.jsonl",
    ];

    private readonly TempFolder _temp = new();
    private readonly IReadOnlyList<PromptTarget> _real = TrainingTestKit.Pairs(32);
    private readonly IReadOnlyList<PromptTarget> _probe = TrainingTestKit.Pairs(64).Skip(48).ToList();

    public ResumeTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_run_cancelled_in_epoch_two_resumes_to_the_numbers_and_bytes_of_an_uninterrupted_run()
    {
        var whole = Train(TrainingTestKit.Run(_temp, "whole"), out var wholeRun, out _);

        var interruptedRun = TrainingTestKit.Run(_temp, "interrupted");
        using var cancel = new CancellationTokenSource();
        var stopInEpochTwo = new TrainingTestKit.Recorder(p =>
        {
            if (p.Epoch == 2)
                cancel.Cancel();
        });
        var act = () => Train(interruptedRun, out _, out _, stopInEpochTwo, cancel.Token);
        act.Should().Throw<OperationCanceledException>();
        interruptedRun.IsComplete("soft/epoch-1").Should().BeTrue();
        interruptedRun.IsComplete("soft/epoch-2").Should().BeFalse();

        var resumed = Train(TrainingTestKit.Run(_temp, "interrupted"), out var resumedRun, out var progress);

        progress.Reports.Select(r => (r.Epoch, r.Step)).Should().Equal([(2, 3), (2, 4)], "only epoch 2 is trained again");
        resumed.ReusedFromRunFolder.Should().BeFalse();
        SameNumbers(resumed.Epochs, whole.Epochs);
        resumed.History.InitialDistance.Should().Be(whole.History.InitialDistance);
        resumed.BestEpoch.Should().Be(whole.BestEpoch);
        State(resumedRun).ToJsonString().Should().Be(State(wholeRun).ToJsonString());
        foreach (string file in SameBytes)
            TrainingTestKit.Bytes(resumedRun, file).Should().Equal(TrainingTestKit.Bytes(wholeRun, file), file);
    }

    [Fact]
    public void A_completed_stage_is_skipped_and_its_best_weights_are_loaded()
    {
        var run = TrainingTestKit.Run(_temp);
        double trainedLoss;
        var first = Train(run, out _, out _, model: m => trainedLoss = m.Loss(_probe));
        trainedLoss = double.NaN;
        using (var trained = ModelTestKit.LoadStories())
        {
            // Reference: the best adapter loaded by hand.
            Soft.Models.Lora.LoraAdapter.Load(trained.Module, run.PathOf("soft/best"));
            trainedLoss = trained.Loss(_probe);
        }

        int callbacks = 0;
        double reloadedLoss = double.NaN;
        var again = Train(TrainingTestKit.Run(_temp), out _, out var progress, onCallback: () => callbacks++, model: m => reloadedLoss = m.Loss(_probe));

        again.ReusedFromRunFolder.Should().BeTrue();
        progress.Reports.Should().BeEmpty();
        callbacks.Should().Be(0, "nothing is trained, validated or measured again");
        again.BestEpoch.Should().Be(first.BestEpoch);
        SameNumbers(again.Epochs, first.Epochs);
        again.StopReason.Should().Be(first.StopReason);
        reloadedLoss.Should().Be(trainedLoss);
    }

    [Fact]
    public void A_crash_after_the_last_checkpoint_only_finishes_the_stage_without_training_again()
    {
        var run = TrainingTestKit.Run(_temp);
        var first = Train(run, out _, out _);
        byte[] best = TrainingTestKit.Bytes(run, "soft/best/adapter_model.safetensors");
        // As if the process died after epoch 2's checkpoint but before the stage was recorded.
        run.Invalidate("soft");
        File.Delete(run.PathOf("soft/best/adapter_model.safetensors"));

        var again = Train(TrainingTestKit.Run(_temp), out _, out var progress);

        progress.Reports.Should().BeEmpty();
        again.ReusedFromRunFolder.Should().BeFalse();
        again.StopReason.Should().Be(first.StopReason);
        SameNumbers(again.Epochs, first.Epochs);
        TrainingTestKit.Bytes(run, "soft/best/adapter_model.safetensors").Should().Equal(best);
        TrainingTestKit.Run(_temp).IsComplete("soft").Should().BeTrue();
        File.ReadAllLines(run.PathOf("soft/curriculum.jsonl")).Select(l => JsonNode.Parse(l)!["lambda"]!.GetValue<double>())
            .Should().Equal(first.Epochs.Select(e => e.Lambda));
    }

    [Fact]
    public void A_run_folder_of_other_options_is_refused_rather_than_resumed()
    {
        var run = TrainingTestKit.Run(_temp);
        using var cancel = new CancellationTokenSource();
        var stop = new TrainingTestKit.Recorder(p =>
        {
            if (p.Epoch == 2)
                cancel.Cancel();
        });
        var act = () => Train(run, out _, out _, stop, cancel.Token);
        act.Should().Throw<OperationCanceledException>();

        using var model = ModelTestKit.LoadStories();
        var options = TrainingTestKit.Options();
        options.LearningRate *= 2;
        var resume = () => TrainingTestKit.Trainer(options).Train(Job(model, run, () => { }));
        resume.Should().Throw<RunConfigMismatchException>().WithMessage("*other training options or data*");
    }

    private TrainingResult Train(
        RunFolder run,
        out RunFolder folder,
        out TrainingTestKit.Recorder progress,
        TrainingTestKit.Recorder? recorder = null,
        CancellationToken cancellationToken = default,
        Action? onCallback = null,
        Action<TorchLanguageModel>? model = null)
    {
        folder = run;
        progress = recorder ?? new TrainingTestKit.Recorder();
        using var loaded = ModelTestKit.LoadStories();
        var result = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 2)).Train(Job(loaded, run, onCallback ?? (() => { })), progress, cancellationToken);
        model?.Invoke(loaded);
        return result;
    }

    // SOFT with the adaptive curriculum; distance and validation are deterministic functions of the weights, so any
    // difference in the resumed weights would show in λ, d and the metrics too.
    private TrainingJob Job(TorchLanguageModel model, RunFolder run, Action onCallback) => new()
    {
        Model = model,
        RealPairs = _real,
        DistilledPairs = TrainingTestKit.Distilled(_real),
        Scheduler = new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = 10 })),
        Distance = (m, _) =>
        {
            onCallback();
            return m.Loss(_probe);
        },
        Validate = (m, _) =>
        {
            onCallback();
            return new Dictionary<string, double> { ["HR@10"] = -m.Loss(_probe) };
        },
        RunFolder = run,
        Stage = "soft",
    };

    // Every number but the timings, compared exactly.
    private static void SameNumbers(IReadOnlyList<EpochRecord> actual, IReadOnlyList<EpochRecord> expected)
    {
        actual.Should().HaveCount(expected.Count);
        actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().Excluding(e => e.Seconds).Excluding(e => e.TrainSeconds));
    }

    private static JsonNode State(RunFolder run)
    {
        var state = JsonNode.Parse(File.ReadAllText(run.PathOf("soft/trainer_state.json")))!;
        foreach (var epoch in state["epochs"]!.AsArray())
        {
            epoch!["seconds"] = 0;
            epoch["train_seconds"] = 0;
        }
        return state;
    }
}
