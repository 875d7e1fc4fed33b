using Soft.Data;
using Soft.Models;
using Soft.Runs;

namespace Soft.Evaluation;

/// <summary>What an <see cref="IPreparedEvaluator"/> gets to prepare with.</summary>
public sealed class EvaluatorPreparation
{
    /// <summary>The run folder; preparation artifacts go here (e.g. <c>items.safetensors</c>).</summary>
    public required RunFolder RunFolder { get; init; }

    /// <summary>The dataset whose catalogue is ranked.</summary>
    public required RecommendationDataset Dataset { get; init; }

    /// <summary>The prompt template the models are trained with.</summary>
    public required PromptTemplate Template { get; init; }

    /// <summary>Embeds texts with the untuned base model (adapters switched off), as grounding requires.</summary>
    public required ITextEmbedder BaseEmbedder { get; init; }

    /// <summary>The base model itself, for evaluators that need its tokenizer (e.g. to build a title trie).</summary>
    public required ILanguageModel BaseModel { get; init; }

    /// <summary>
    /// True when this preparation finished in the run folder before and its files still match their checksums:
    /// load them instead of building again.
    /// </summary>
    public bool Reuse { get; init; }

    /// <summary>Receives (done, total) counts as preparation advances.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }
}
