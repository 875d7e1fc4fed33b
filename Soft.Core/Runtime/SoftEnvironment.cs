namespace Soft.Runtime;

/// <summary>The settings in force after <see cref="SoftRuntime.Initialize(SoftRuntimeOptions)"/>.</summary>
/// <param name="Device">The device chosen: <c>cpu</c> or <c>cuda:0</c>.</param>
/// <param name="DefaultDType">The default floating-point dtype.</param>
/// <param name="Threads">libtorch's intra-op thread count.</param>
/// <param name="Seed">The run's seed.</param>
public sealed record SoftEnvironment(string Device, SoftDType DefaultDType, int Threads, long Seed)
{
    /// <summary>True when <see cref="Device"/> is a CUDA GPU.</summary>
    public bool IsCuda => Device.StartsWith("cuda", StringComparison.Ordinal);

    /// <summary>A managed random stream for <paramref name="stream"/>, derived from <see cref="Seed"/>.</summary>
    public Random CreateRandom(string stream) => SoftRandom.Create(Seed, stream);
}
