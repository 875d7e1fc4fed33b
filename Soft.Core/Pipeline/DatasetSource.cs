using Soft.Data;

namespace Soft.Pipeline;

/// <summary>Where the pipeline gets its dataset; loaded when the run starts, not when the pipeline is built.</summary>
/// <param name="Load">Loads the dataset given the run's seed (<see cref="SoftOptions.Seed"/>), which draws its subsets.</param>
public sealed record DatasetSource(Func<long, RecommendationDataset> Load)
{
    /// <summary>A source that loads the dataset with <paramref name="load"/>, whose subsets are its own business.</summary>
    /// <param name="load">Loads the dataset.</param>
    public DatasetSource(Func<RecommendationDataset> load) : this(_ => load()) => ArgumentNullException.ThrowIfNull(load);

    /// <summary>
    /// The file or folder <see cref="Load"/> reads, when there is one; <see cref="SoftTrainerBuilder.Build"/> checks that
    /// it exists, so a wrong path fails before anything is written into a run folder.
    /// </summary>
    public string? Path { get; init; }

    /// <summary><paramref name="options"/> (or the defaults) drawing with <paramref name="seed"/> unless they override the seed.</summary>
    /// <param name="options">The caller's options; null for the defaults.</param>
    /// <param name="seed">The run's seed.</param>
    public static DatasetOptions Seeded(DatasetOptions? options, long seed) => (options ?? new DatasetOptions()) with { Seed = options?.Seed ?? seed };
}
