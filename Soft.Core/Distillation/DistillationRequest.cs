using Soft.Data;
using Soft.Models;

namespace Soft.Distillation;

/// <summary>What an <see cref="ISelfDistiller"/> is asked to answer.</summary>
public sealed class DistillationRequest
{
    /// <summary>The fine-tuned (SFT) model that answers its own training prompts.</summary>
    public required ILanguageModel Model { get; init; }

    /// <summary>The dataset the samples come from (catalogue for titles and optional snapping).</summary>
    public required RecommendationDataset Dataset { get; init; }

    /// <summary>The training samples to distil, usually <see cref="RecommendationDataset.Train"/>.</summary>
    public required IReadOnlyList<RecommendationSample> Samples { get; init; }

    /// <summary>The prompt template the model was trained with.</summary>
    public required PromptTemplate Template { get; init; }

    /// <summary>
    /// A file to append finished answers to as distillation goes, so that a killed run resumes where it stopped;
    /// null to keep everything in memory. Distillers that cannot resume may ignore it.
    /// </summary>
    public string? PartialResultsPath { get; init; }

    /// <summary>Receives (done, total) sample counts as distillation advances.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }
}
