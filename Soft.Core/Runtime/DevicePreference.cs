namespace Soft.Runtime;

/// <summary>Where tensors live and computation runs.</summary>
public enum DevicePreference
{
    /// <summary>CUDA when a CUDA backend and a GPU are present, otherwise the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; fails when none is available.</summary>
    Cuda,
}
