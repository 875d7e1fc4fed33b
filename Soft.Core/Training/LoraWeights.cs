using Soft.Models;
using Soft.Models.Lora;
using Soft.Runtime;
using TorchSharp.Modules;

namespace Soft.Training;

/// <summary>A fresh LoRA adapter injected into the model: only its matrices train; files in PEFT's layout.</summary>
internal sealed class LoraWeights : ITrainedWeights
{
    private readonly LoraAdapter _adapter;
    private readonly IReadOnlyList<Parameter> _parameters;

    /// <summary>Injects an adapter whose initial matrices depend only on <paramref name="initSeed"/>.</summary>
    /// <exception cref="InvalidOperationException">The model already carries an adapter.</exception>
    public LoraWeights(ITrainableLanguageModel model, LoraOptions options, int initSeed)
    {
        // lora_A is drawn from torch's default generator: seed it so every run (and every resume) starts alike.
        SoftRuntime.Seed(initSeed);
        try
        {
            _adapter = LoraAdapter.Inject(model.Module, options);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                "The model already carries a LoRA adapter, but every stage trains a fresh one on the base weights. " +
                "Call Unload() on the previous stage's TrainingResult.Adapter, or load the base model again.", e);
        }
        _parameters = _adapter.TrainableParameters();
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public LoraAdapter? Adapter => _adapter;

    public (long Trainable, long Total) Count()
    {
        var count = _adapter.CountParameters();
        return (count.Trainable, count.Total);
    }

    public IReadOnlyList<string> Save(string directory)
    {
        _adapter.Save(directory);
        return [LoraAdapter.ConfigFileName, LoraAdapter.WeightsFileName];
    }

    public void Load(string directory) => _adapter.LoadWeights(directory);

    public void Abandon()
    {
        if (!_adapter.IsUnloaded)
            _adapter.Unload();
    }
}
