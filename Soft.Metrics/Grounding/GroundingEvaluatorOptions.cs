using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Soft.Evaluation;
using Soft.Models;
using Soft.Runs;

namespace Soft.Metrics.Grounding;

/// <summary>Options of <see cref="GroundingEvaluator"/> (BIGRec's generate-then-ground evaluation).</summary>
/// <remarks>Defaults are the SOFT reference's: 4 beams, at most 64 new tokens, the top beam grounded.</remarks>
public sealed class GroundingEvaluatorOptions
{
    /// <summary>
    /// How answers are generated; the top one is grounded, so <see cref="GenerationOptions.NumReturnSequences"/> is not
    /// read (one is returned). Default value: 4 beams, at most 64 new tokens, length penalty 1 (Hugging Face's default,
    /// which the reference's <c>generate</c> call inherits).
    /// </summary>
    [JsonIgnore]
    public GenerationOptions Decoding { get; set; } = new() { NumBeams = 4, MaxNewTokens = 64, LengthPenalty = 1 };

    /// <summary>Prompts decoded together (each with <see cref="GenerationOptions.NumBeams"/> beam rows). Default value is 8 (32 beam rows).</summary>
    [JsonIgnore]
    public int BatchSize { get; set; } = 8;

    // The run folder hashes these options as JSON (the evaluator's Fingerprint()). Decoding and BatchSize are written as
    // they were when they were one object, so that folders made before keep their hash.
    [JsonInclude, JsonPropertyName(nameof(Decoding)), JsonPropertyOrder(-1)]
    internal JsonObject DecodingFingerprint => PartFingerprint.Decoding(Decoding, BatchSize, nameof(GenerationOptions.NumReturnSequences));

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
