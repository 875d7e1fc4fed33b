using Soft.Generation;

namespace Soft.Metrics.Constrained;

/// <summary>Options of <see cref="ConstrainedBeamEvaluator"/> (D3-style decoding restricted to catalogue titles).</summary>
/// <remarks>
/// Defaults follow "Decoding Matters" (D3): 10 beams, 10 returned titles, length penalty 0 (plain sequence
/// log-probability, which D3 shows ranks better than length-normalised scores and makes early stopping exact).
/// Only the returned titles are ranked, so HR@K for K above <see cref="DecodingOptions.NumBeams"/> cannot grow further.
/// </remarks>
public sealed class ConstrainedBeamEvaluatorOptions
{
    /// <summary>
    /// How titles are decoded; the beam width is also the number of titles returned and ranked. Default value: 10
    /// beams (D3), length penalty 0 (D3's <c>evaluate2.sh</c>), no token bound (null: the longest title's length plus
    /// EOS, so every title can finish), 4 prompts per batch (40 beam rows).
    /// </summary>
    public DecodingOptions Decoding { get; set; } = new() { NumBeams = 10, MaxNewTokens = null, LengthPenalty = 0, BatchSize = 4 };

    /// <summary>
    /// Score a title once, by its first item, and the true item by its title's first item. Default value is true,
    /// which matches D3's metric (a beam is a hit when its title equals the target's title) and
    /// <see cref="Grounding.GroundingEvaluatorOptions.FirstItemOfEachTitle"/>. False lists every item of a returned
    /// title, in id order, so a later twin ranks behind the first.
    /// </summary>
    public bool FirstItemOfEachTitle { get; set; } = true;
}
