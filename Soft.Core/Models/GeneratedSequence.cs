namespace Soft.Models;

/// <summary>One decoded continuation of a prompt.</summary>
/// <param name="TokenIds">Generated ids, prompt excluded, stop token excluded.</param>
/// <param name="Text">The decoded <paramref name="TokenIds"/>.</param>
/// <param name="Score">
/// Beam search: the sum of log-probabilities divided by (generated length incl. the stop token)^length penalty.
/// Greedy and sampling: the sum of the model's log-probabilities of the chosen tokens (stop token included);
/// −∞ when an <see cref="IAllowedTokens"/> hook left no token to choose.
/// </param>
/// <param name="Stopped">True when decoding ended on a stop token rather than on the token limit.</param>
public sealed record GeneratedSequence(IReadOnlyList<int> TokenIds, string Text, double Score, bool Stopped);
