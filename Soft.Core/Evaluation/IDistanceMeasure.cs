using Soft.Data;
using Soft.Models;

namespace Soft.Evaluation;

/// <summary>
/// Measures how far a model's answers are from the true items: SOFT's d_k, the mean L2 distance between the
/// grounding embedding of the model's top-beam answer and the embedding of the true target item, on a fixed
/// sample of training prompts. The self-adaptive curriculum moves weight to the real data as d falls.
/// </summary>
public interface IDistanceMeasure
{
    /// <summary>Mean grounded distance of <paramref name="model"/>'s answers to the targets of <paramref name="samples"/>.</summary>
    /// <exception cref="InvalidOperationException">The measure has not been prepared (no item table yet).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    double MeanDistance(ILanguageModel model, RecommendationDataset dataset, IReadOnlyList<RecommendationSample> samples, PromptTemplate template, CancellationToken cancellationToken = default);
}
