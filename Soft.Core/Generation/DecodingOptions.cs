namespace Soft.Generation;

/// <summary>
/// How a part of the pipeline decodes with beam search: the grounding evaluator, the constrained-beam evaluator and the
/// self-distiller each hold one (their <c>Decoding</c> option), with their own defaults, and
/// <see cref="DecodingOptionsValidator"/> checks all of them the same way.
/// </summary>
public sealed class DecodingOptions
{
    /// <summary>Beam width. At least 1.</summary>
    public int NumBeams { get; set; } = 4;

    /// <summary>Upper bound on generated tokens; null lets the part choose (the constrained beam: the longest title plus EOS). At least 1.</summary>
    /// <remarks>With item tokens an answer is one token, so the parts decode one token whatever this says.</remarks>
    public int? MaxNewTokens { get; set; } = 64;

    /// <summary>Beam score = sum of log-probabilities / length^LengthPenalty. Finite; 1 is Hugging Face's default, 0 plain log-probability.</summary>
    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Prompts decoded together (each with <see cref="NumBeams"/> beam rows). At least 1.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>A copy.</summary>
    public DecodingOptions Clone() => (DecodingOptions)MemberwiseClone();
}
