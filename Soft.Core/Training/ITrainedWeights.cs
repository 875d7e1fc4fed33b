using Soft.Models.Lora;
using TorchSharp.Modules;

namespace Soft.Training;

/// <summary>
/// The part of a model a stage trains, and how it goes to and from an epoch folder: a LoRA adapter
/// (<see cref="LoraWeights"/>) or every parameter (<see cref="FullWeights"/>).
/// </summary>
internal interface ITrainedWeights
{
    /// <summary>The parameters the optimizer updates, in a fixed order (the optimizer state is saved in this order).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The adapter, or null for full fine-tuning.</summary>
    LoraAdapter? Adapter { get; }

    /// <summary>Trained and total parameter elements of the model.</summary>
    (long Trainable, long Total) Count();

    /// <summary>Writes the weights into <paramref name="directory"/>; returns the names of the files written.</summary>
    IReadOnlyList<string> Save(string directory);

    /// <summary>Loads weights written by <see cref="Save"/> into the model.</summary>
    void Load(string directory);

    /// <summary>Undoes what construction did to the model (takes a LoRA adapter out), after a failed or cancelled run.</summary>
    void Abandon();
}
