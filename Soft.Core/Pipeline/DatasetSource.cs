using Soft.Data;

namespace Soft.Pipeline;

/// <summary>Where the pipeline gets its dataset; loaded when the run starts, not when the pipeline is built.</summary>
/// <param name="Load">Loads the dataset.</param>
public sealed record DatasetSource(Func<RecommendationDataset> Load)
{
    /// <summary>
    /// The file or folder <see cref="Load"/> reads, when there is one; <see cref="SoftTrainerBuilder.Build"/> checks that
    /// it exists, so a wrong path fails before anything is written into a run folder.
    /// </summary>
    public string? Path { get; init; }
}
