using Soft.Curriculum;
using Soft.Data;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Models.Lora;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>
/// A LoRA stage that also trains item rows (trainable tokens), interrupted and resumed, ends with the bytes of an
/// uninterrupted one: the rows and their optimizer state are part of every checkpoint.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainableTokensResumeTests : IDisposable
{
    private static readonly string[] SameBytes =
    [
        "sft/epoch-1/adapter_model.safetensors", "sft/epoch-2/adapter_model.safetensors", "sft/epoch-2/optimizer.safetensors",
        "sft/best/adapter_model.safetensors", "sft/best/adapter_config.json",
    ];

    private readonly TempFolder _temp = new();
    private readonly Soft.Data.ItemCatalog _catalog = EvaluationData.LastFmCatalog(12);
    private readonly string _base;
    private readonly int _first;

    public TrainableTokensResumeTests()
    {
        ModelTestKit.Initialize();
        _base = _temp.Combine("base");
        _first = ItemTokenVocabulary.Add(ModelTestKit.Stories, _catalog, _base);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_run_cancelled_in_epoch_two_resumes_to_the_bytes_of_an_uninterrupted_run()
    {
        var whole = TrainingTestKit.Run(_temp, "whole");
        Train(whole);

        var interrupted = TrainingTestKit.Run(_temp, "interrupted");
        using var cancel = new CancellationTokenSource();
        var stop = new TrainingTestKit.Recorder(p =>
        {
            if (p.Epoch == 2)
                cancel.Cancel();
        });
        var act = () => Train(interrupted, stop, cancel.Token);
        act.Should().Throw<OperationCanceledException>();
        interrupted.IsComplete("sft/epoch-1").Should().BeTrue();

        Train(TrainingTestKit.Run(_temp, "interrupted"));

        foreach (string file in SameBytes)
            TrainingTestKit.Bytes(interrupted, file).Should().Equal(TrainingTestKit.Bytes(whole, file), file);
    }

    private void Train(RunFolder run, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = TrainingTestKit.Options(epochs: 2);
        options.Lora!.TrainableTokenIndices = [.. Enumerable.Range(_first, _catalog.Count)];
        using var model = TorchLanguageModel.Load(_base, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
        var pairs = Enumerable.Range(0, 32).Select(i => new PromptTarget(
            $"listened:\n{ItemTokenText.Of(i % 12)}{ItemTokenText.Of((i * 5 + 1) % 12)}", ItemTokenText.Of((i * 7 + 2) % 12))).ToList();
        var result = TrainingTestKit.Trainer(options).Train(new TrainingJob
        {
            Model = model,
            RealPairs = pairs,
            Scheduler = new FixedScheduler(0),
            Validate = (m, _) => new Dictionary<string, double> { ["HR@10"] = -m.Loss(pairs) },
            RunFolder = run,
            Stage = "sft",
        }, progress, cancellationToken);
        result.Adapter!.TrainableTokenIndices.Should().HaveCount(_catalog.Count);
        result.Adapter.CountParameters().Trainable.Should().BeGreaterThan(_catalog.Count * model.Module.InputEmbedding.Weight.shape[1]);
    }
}
