using Soft.Data;

namespace Soft.Pipeline;

/// <summary>What a base model built per run (see <see cref="LanguageModelSource.Build"/>) is built from and where it goes.</summary>
public sealed record BaseModelBuild
{
    /// <summary>The run's dataset (training samples only may be read).</summary>
    public required RecommendationDataset Dataset { get; init; }

    /// <summary>The run's prompt template.</summary>
    public required PromptTemplate Template { get; init; }

    /// <summary>The folder to write the Hugging Face model into.</summary>
    public required string Folder { get; init; }

    /// <summary>Receives progress messages.</summary>
    public IProgress<PipelineProgress>? Progress { get; init; }

    /// <summary>Stops the build; nothing is marked finished when it fires.</summary>
    public CancellationToken CancellationToken { get; init; }
}
