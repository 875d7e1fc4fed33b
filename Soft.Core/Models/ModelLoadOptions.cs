using Soft.Runtime;

namespace Soft.Models;

/// <summary>How a language model is read from disk and where it runs.</summary>
public sealed class ModelLoadOptions
{
    /// <summary>
    /// Device for weights and computation of a model loaded on its own (<see cref="TorchLanguageModel.Load"/>);
    /// defaults to <see cref="DevicePreference.Auto"/>. A pipeline run loads its models on its own device,
    /// <c>SoftOptions.Device</c>, and refuses load options that name another.
    /// </summary>
    public DevicePreference Device { get; set; } = DevicePreference.Auto;

    /// <summary>
    /// Format the weights are held in after loading; defaults to <see cref="SoftDType.Float32"/>, so bf16/fp16
    /// checkpoints are widened on load (the CPU trains in fp32 only).
    /// </summary>
    public SoftDType DType { get; set; } = SoftDType.Float32;

    /// <summary>
    /// Allow pickled PyTorch checkpoints (<c>pytorch_model.bin</c>); defaults to false because unpickling files from
    /// an untrusted source is unsafe. Safetensors files are always preferred when both exist.
    /// </summary>
    public bool AllowPickledCheckpoints { get; set; }

    // The same options on `device`: a pipeline run's models live on the run's device.
    internal ModelLoadOptions On(DevicePreference device) => new() { Device = device, DType = DType, AllowPickledCheckpoints = AllowPickledCheckpoints };
}
