using Soft.Models;
using Soft.Models.Lora;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Training;

/// <summary>Full fine-tuning: every parameter that requires a gradient trains; files in Hugging Face's layout.</summary>
internal sealed class FullWeights : ITrainedWeights
{
    private readonly ITrainableLanguageModel _model;
    private readonly IReadOnlyList<Parameter> _parameters;

    public FullWeights(ITrainableLanguageModel model)
    {
        _model = model;
        _parameters = [.. model.Module.parameters().Where(p => p.requires_grad)];
        if (_parameters.Count == 0)
            throw new InvalidOperationException("The model has no parameter that requires a gradient, so full fine-tuning has nothing to train.");
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public LoraAdapter? Adapter => null;

    public (long Trainable, long Total) Count()
    {
        long trainable = 0, total = 0;
        foreach (var parameter in _model.Module.parameters())
        {
            total += parameter.numel();
            if (parameter.requires_grad)
                trainable += parameter.numel();
        }
        return (trainable, total);
    }

    // The trainer hands over an empty folder, so every file in it afterwards is the model's.
    public IReadOnlyList<string> Save(string directory)
    {
        _model.Save(directory);
        return [.. Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
    }

    public void Load(string directory)
    {
        using var scope = NewDisposeScope();
        var checkpoint = CheckpointFiles.Read(directory, allowPickled: false);
        var mapped = _model.Module.FromCheckpoint(checkpoint.Select(kv => (kv.Key, kv.Value))).ToList();
        CheckpointLoader.Load(_model.Module, mapped, $"Checkpoint in {directory}");
    }

    public void Abandon()
    {
        // Nothing was added to the model; its weights are whatever the interrupted epoch left.
    }
}
