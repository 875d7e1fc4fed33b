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

    /// <summary>The run's seed (<see cref="SoftOptions.Seed"/>): a build derives every random stream it uses from it.</summary>
    public required long Seed { get; init; }

    /// <summary>Validation samples a build may use to stop early (<see cref="SoftOptions.ValidationSamples"/>, else 256).</summary>
    public int ValidationSamples { get; init; } = 256;

    /// <summary>Receives progress messages.</summary>
    public IProgress<PipelineProgress>? Progress { get; init; }

    /// <summary>Stops the build; nothing is marked finished when it fires.</summary>
    public CancellationToken CancellationToken { get; init; }
}
