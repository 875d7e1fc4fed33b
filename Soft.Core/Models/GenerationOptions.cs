using Microsoft.Extensions.Options;

namespace Soft.Models;

/// <summary>How a language model continues prompts: greedy, seeded sampling or beam search.</summary>
/// <remarks>
/// <see cref="NumBeams"/> = 1 and <see cref="DoSample"/> = false is greedy decoding. The SOFT reference decodes with
/// 4 beams and at most 64 new tokens (1 returned sequence for evaluation, 4 for distillation). The pipeline's decoding
/// parts (the beam self-distiller, the grounding and constrained-beam evaluators) take one as their <c>Decoding</c> option.
/// </remarks>
public sealed class GenerationOptions
{
    /// <summary>Upper bound on generated tokens per sequence; defaults to 64 (the SOFT reference).</summary>
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>Beam width; 1 (the default) means greedy or sampling.</summary>
    public int NumBeams { get; set; } = 1;

    /// <summary>
    /// Sequences returned per prompt; at most <see cref="NumBeams"/> for beam search; defaults to 1. Beam search may
    /// return fewer when an <see cref="AllowedTokens"/> hook leaves fewer finishable hypotheses.
    /// </summary>
    public int NumReturnSequences { get; set; } = 1;

    /// <summary>Sample instead of taking the arg-max; defaults to false. Not combinable with beams.</summary>
    public bool DoSample { get; set; }

    /// <summary>Softmax temperature for sampling; defaults to 1.</summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>Nucleus mass for sampling (keep the smallest top set whose probability reaches it); defaults to 1 (off).</summary>
    public double TopP { get; set; } = 1.0;

    /// <summary>Seed of the sampling generator; defaults to 42. Equal seeds give equal samples.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>
    /// Beam search length penalty as in Hugging Face: a finished hypothesis scores
    /// sum_logprobs / generated_length^LengthPenalty; defaults to 1. Use 0 to rank by plain sequence log-probability
    /// (then early stopping is exact).
    /// </summary>
    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Ids that end a sequence; null (the default) uses the model's generation config.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; set; }

    /// <summary>
    /// Keep keys and values of past positions between steps (the default). False recomputes the whole sequence at
    /// every step: the same results, much slower; it exists to measure and check the cache.
    /// </summary>
    public bool UseCache { get; set; } = true;

    /// <summary>Optional per-hypothesis restriction of the next token (e.g. a title trie); null allows everything.</summary>
    public IAllowedTokens? AllowedTokens { get; set; }

    /// <summary>Checks every value and combination; called by the generators before any work.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names the property.</exception>
    public void Validate()
    {
        foreach (var (property, problem) in Problems())
            throw new ArgumentException($"GenerationOptions.{property} {problem}");
    }

    /// <summary>A copy (<see cref="StopTokenIds"/> and <see cref="AllowedTokens"/> shared, not copied).</summary>
    internal GenerationOptions Clone() => (GenerationOptions)MemberwiseClone();

    /// <summary>
    /// Adds the failures of <paramref name="options"/> to <paramref name="builder"/>, each property named after
    /// <paramref name="prefix"/> (e.g. <c>Decoding.</c>): how the pipeline parts' options validators check their
    /// <c>Decoding</c>, with the same rules as <see cref="Validate"/>.
    /// </summary>
    /// <param name="builder">Collects the failures.</param>
    /// <param name="options">The options to check; null is itself a failure.</param>
    /// <param name="prefix">What goes before each property name.</param>
    internal static void AddErrors(ValidateOptionsResultBuilder builder, GenerationOptions? options, string prefix)
    {
        if (options is null)
        {
            builder.AddError("must not be null.", prefix.TrimEnd('.'));
            return;
        }
        foreach (var (property, problem) in options.Problems())
            builder.AddError(problem, prefix + property);
    }

    // Each broken rule as (property, what is wrong), in the order Validate reports them.
    private IEnumerable<(string Property, string Problem)> Problems()
    {
        if (MaxNewTokens < 1)
            yield return (nameof(MaxNewTokens), $"must be at least 1, got {MaxNewTokens}.");
        if (NumBeams < 1)
            yield return (nameof(NumBeams), $"must be at least 1, got {NumBeams}.");
        if (NumReturnSequences < 1)
            yield return (nameof(NumReturnSequences), $"must be at least 1, got {NumReturnSequences}.");
        if (NumBeams > 1 && NumReturnSequences > NumBeams)
            yield return (nameof(NumReturnSequences), $"must not exceed NumBeams ({NumBeams}), got {NumReturnSequences}.");
        if (NumBeams == 1 && !DoSample && NumReturnSequences != 1)
            yield return (nameof(NumReturnSequences), "must be 1 for greedy decoding; set DoSample or NumBeams to get several.");
        if (NumBeams > 1 && DoSample)
            yield return (nameof(DoSample), "cannot be combined with NumBeams > 1 (beam sampling is not implemented).");
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
            yield return (nameof(Temperature), $"must be a positive finite number, got {Temperature}.");
        if (!(TopP > 0 && TopP <= 1))
            yield return (nameof(TopP), $"must be in (0, 1], got {TopP}.");
        if (double.IsNaN(LengthPenalty) || double.IsInfinity(LengthPenalty))
            yield return (nameof(LengthPenalty), $"must be finite, got {LengthPenalty}.");
    }
}
