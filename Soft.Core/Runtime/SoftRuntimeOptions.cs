namespace Soft.Runtime;

/// <summary>Process-wide settings applied by <see cref="SoftRuntime.Initialize(SoftRuntimeOptions)"/>.</summary>
public sealed class SoftRuntimeOptions
{
    /// <summary>Device to run on; defaults to <see cref="DevicePreference.Auto"/>.</summary>
    public DevicePreference Device { get; set; } = DevicePreference.Auto;

    /// <summary>Default dtype for new floating-point tensors; defaults to <see cref="SoftDType.Float32"/>.</summary>
    public SoftDType DefaultDType { get; set; } = SoftDType.Float32;

    /// <summary>
    /// Intra-op threads for libtorch; null keeps libtorch's choice. Results are reproducible only for a fixed
    /// thread count, because reductions split work by thread.
    /// </summary>
    public int? Threads { get; set; }

    /// <summary>The one seed from which every random choice (torch and managed) is derived; defaults to 42.</summary>
    public long Seed { get; set; } = 42;
}
