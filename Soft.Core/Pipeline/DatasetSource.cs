using Soft.Data;

namespace Soft.Pipeline;

/// <summary>Where the pipeline gets its dataset; loaded when the run starts, not when the pipeline is built.</summary>
/// <param name="Load">Loads the dataset.</param>
public sealed record DatasetSource(Func<RecommendationDataset> Load);
