namespace Soft.Metrics.Grounding;

/// <summary>Options of <see cref="GroundingEvaluator"/> (BIGRec's generate-then-ground evaluation).</summary>
/// <remarks>Defaults are the SOFT reference's: 4 beams, at most 64 new tokens, the top beam grounded.</remarks>
public sealed class GroundingEvaluatorOptions
{
    // Decoding

    /// <summary>Beam width. Default value is 4 (the reference).</summary>
    public int NumBeams { get; set; } = 4;

    /// <summary>Upper bound on generated tokens. Default value is 64 (the reference).</summary>
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>
    /// Beam search length penalty (score = sum log-prob / length^penalty). Default value is 1, Hugging Face's
    /// default, which the reference's <c>generate</c> call inherits.
    /// </summary>
    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Prompts decoded together. Default value is 8 (32 beam rows with 4 beams).</summary>
    public int BatchSize { get; set; } = 8;

    // Ranking

    /// <summary>
    /// Rank only the first item of each title and score the true item by its title's first item, as the
    /// reference's item table does. Default value is true; false ranks every item (twins tie, id order).
    /// </summary>
    public bool FirstItemOfEachTitle { get; set; } = true;

    /// <summary>Titles embedded per call when the evaluator builds the item table itself. Default value is 64.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;
}
