namespace Soft.Metrics.Constrained;

/// <summary>Options of <see cref="ConstrainedBeamEvaluator"/> (D3-style decoding restricted to catalogue titles).</summary>
/// <remarks>
/// Defaults follow "Decoding Matters" (D3): 10 beams, 10 returned titles, length penalty 0 (plain sequence
/// log-probability, which D3 shows ranks better than length-normalised scores and makes early stopping exact).
/// Only the returned titles are ranked, so HR@K for K above <see cref="NumBeams"/> cannot grow further.
/// </remarks>
public sealed class ConstrainedBeamEvaluatorOptions
{
    /// <summary>Beam width, which is also the number of titles returned and ranked. Default value is 10 (D3).</summary>
    public int NumBeams { get; set; } = 10;

    /// <summary>Length penalty (score = sum log-prob / length^penalty). Default value is 0 (D3's <c>evaluate2.sh</c>).</summary>
    public double LengthPenalty { get; set; }

    /// <summary>Upper bound on generated tokens; null (the default) uses the longest title's length plus EOS, so every title can finish.</summary>
    public int? MaxNewTokens { get; set; }

    /// <summary>Prompts decoded together. Default value is 4 (40 beam rows with 10 beams).</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>
    /// Score a title once, by its first item, and the true item by its title's first item. Default value is true,
    /// which matches D3's metric (a beam is a hit when its title equals the target's title) and
    /// <see cref="Grounding.GroundingEvaluatorOptions.FirstItemOfEachTitle"/>. False lists every item of a returned
    /// title, in id order, so a later twin ranks behind the first.
    /// </summary>
    public bool FirstItemOfEachTitle { get; set; } = true;
}
