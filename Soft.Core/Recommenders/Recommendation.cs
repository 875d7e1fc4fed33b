namespace Soft.Recommenders;

/// <summary>One recommended item.</summary>
/// <param name="ItemId">The item's id in the catalogue (as the source files wrote it).</param>
/// <param name="Title">The item's title.</param>
/// <param name="Score">
/// What the recommender ranked by, higher first: the language model's log-probability of the item given the prompt,
/// SASRec's logit, or the item's training count (popularity, and the popularity fallback for an empty history).
/// </param>
/// <param name="Rank">1-based position in the returned list.</param>
public sealed record Recommendation(string ItemId, string Title, double Score, int Rank);
