namespace Soft.Runtime;

/// <summary>Floating-point formats for weights and activations, without exposing TorchSharp's types.</summary>
public enum SoftDType
{
    /// <summary>32-bit IEEE float; the only format used for training on the CPU.</summary>
    Float32,

    /// <summary>bfloat16; for CUDA devices that support it.</summary>
    BFloat16,

    /// <summary>IEEE half precision.</summary>
    Float16,
}
