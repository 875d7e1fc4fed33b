using Soft.Data;
using Soft.Models;

namespace Soft.Evaluation;

/// <summary>What an <see cref="IRecommendationEvaluator"/> is asked to rank.</summary>
public sealed class EvaluationRequest
{
    /// <summary>The model whose answers are ranked (for SOFT: the tuned model, adapters active).</summary>
    public required ILanguageModel Model { get; init; }

    /// <summary>The dataset: its catalogue is what gets ranked.</summary>
    public required RecommendationDataset Dataset { get; init; }

    /// <summary>The samples to evaluate (validation or test split, or a subset).</summary>
    public required IReadOnlyList<RecommendationSample> Samples { get; init; }

    /// <summary>The prompt template the model was trained with.</summary>
    public required PromptTemplate Template { get; init; }

    /// <summary>Ranking cut-offs K for HR@K, NDCG@K and coverage@K; default 1, 5, 10, 20, 50.</summary>
    public IReadOnlyList<int> Cutoffs { get; init; } = [1, 5, 10, 20, 50];

    /// <summary>How many ranked items to keep per sample in <see cref="EvaluationResult.Predictions"/>; default 20.</summary>
    public int KeepTopItems { get; init; } = 20;

    /// <summary>Receives (done, total) sample counts as evaluation advances.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }
}
