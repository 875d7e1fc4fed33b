namespace Soft.Tests;

/// <summary>
/// Every test that touches TorchSharp joins this collection: libtorch's global state (seed, default dtype,
/// thread pool) must not be shared by tests running at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp";
}
