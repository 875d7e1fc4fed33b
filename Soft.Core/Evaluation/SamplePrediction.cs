namespace Soft.Evaluation;

/// <summary>What an evaluator made of one sample; saved per sample so that any metric can be recomputed later.</summary>
/// <param name="SampleIndex">Position of the sample in the evaluated list.</param>
/// <param name="UserId">The sample's user.</param>
/// <param name="Target">Catalogue index of the true next item.</param>
/// <param name="Rank">0-based rank of the true item in the full ranking, or null when it was not ranked at all.</param>
/// <param name="TopItems">Catalogue indices of the best-ranked items, best first.</param>
/// <param name="Generated">The model's answer text that the ranking came from (top beam), when there is one.</param>
public sealed record SamplePrediction(int SampleIndex, string UserId, int Target, int? Rank, IReadOnlyList<int> TopItems, string? Generated);
