using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Soft.Models;
using Soft.Runs;

namespace Soft.Metrics.Constrained;

/// <summary>Options of <see cref="ConstrainedBeamEvaluator"/> (D3-style decoding restricted to catalogue titles).</summary>
/// <remarks>
/// Defaults follow "Decoding Matters" (D3): 10 beams, 10 returned titles, length penalty 0 (plain sequence
/// log-probability, which D3 shows ranks better than length-normalised scores and makes early stopping exact).
/// Only the returned titles are ranked, so HR@K for K above <see cref="GenerationOptions.NumBeams"/> cannot grow further.
/// </remarks>
public sealed class ConstrainedBeamEvaluatorOptions
{
    /// <summary>
    /// How titles are decoded; the beam width is also the number of titles returned and ranked, and the titles restrict
    /// every step, so <see cref="GenerationOptions.NumReturnSequences"/>, <see cref="GenerationOptions.StopTokenIds"/> and
    /// <see cref="GenerationOptions.AllowedTokens"/> are not read. Default value: 10 beams (D3), length penalty 0 (D3's
    /// <c>evaluate2.sh</c>), no token bound of its own (<see cref="int.MaxValue"/>: at most the longest title's length
    /// plus EOS, by which every title has ended).
    /// </summary>
    [JsonIgnore]
    public GenerationOptions Decoding { get; set; } = new() { NumBeams = 10, MaxNewTokens = int.MaxValue, LengthPenalty = 0 };

    /// <summary>Prompts decoded together (each with <see cref="GenerationOptions.NumBeams"/> beam rows). Default value is 4 (40 beam rows).</summary>
    [JsonIgnore]
    public int BatchSize { get; set; } = 4;

    // The run folder hashes these options as JSON (the evaluator's Fingerprint()). Decoding and BatchSize are written as
    // they were when they were one object (no bound then read null), so that folders made before keep their hash.
    [JsonInclude, JsonPropertyName(nameof(Decoding)), JsonPropertyOrder(-1)]
    internal JsonObject DecodingFingerprint => PartFingerprint.Decoding(Decoding, BatchSize,
        nameof(GenerationOptions.NumReturnSequences), nameof(GenerationOptions.StopTokenIds), nameof(GenerationOptions.AllowedTokens));

    /// <summary>
    /// Score a title once, by its first item, and the true item by its title's first item. Default value is true,
    /// which matches D3's metric (a beam is a hit when its title equals the target's title) and
    /// <see cref="Grounding.GroundingEvaluatorOptions.FirstItemOfEachTitle"/>. False lists every item of a returned
    /// title, in id order, so a later twin ranks behind the first.
    /// </summary>
    public bool FirstItemOfEachTitle { get; set; } = true;
}
