using Soft.Evaluation;
using Soft.Generation;

namespace Soft.Metrics.Grounding;

/// <summary>Options of <see cref="GroundingEvaluator"/> (BIGRec's generate-then-ground evaluation).</summary>
/// <remarks>Defaults are the SOFT reference's: 4 beams, at most 64 new tokens, the top beam grounded.</remarks>
public sealed class GroundingEvaluatorOptions
{
    /// <summary>
    /// How answers are generated. Default value: 4 beams, at most 64 new tokens, length penalty 1 (Hugging Face's
    /// default, which the reference's <c>generate</c> call inherits), 8 prompts per batch (32 beam rows).
    /// </summary>
    public DecodingOptions Decoding { get; set; } = new() { NumBeams = 4, MaxNewTokens = 64, LengthPenalty = 1, BatchSize = 8 };

    // Ranking

    /// <summary>
    /// Rank only the first item of each title and score the true item by its title's first item, as the
    /// reference's item table does. Default value is true; false ranks every item (twins tie, id order).
    /// </summary>
    public bool FirstItemOfEachTitle { get; set; } = true;

    /// <summary>
    /// What each item's vector is, and so the space answers are grounded and the curriculum's d is measured in.
    /// Default value is <see cref="ItemVectorSource.Automatic"/>: the item's own token when items are tokens (a right
    /// answer is at distance 0, a near miss near), the quoted title otherwise (BIGRec). <see cref="ItemVectorSource.Title"/>
    /// with item tokens is the earlier behaviour, kept for comparison.
    /// </summary>
    public ItemVectorSource ItemVectors { get; set; } = ItemVectorSource.Automatic;

    /// <summary>Titles embedded per call when the evaluator builds the item table itself. Default value is 64.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;
}
