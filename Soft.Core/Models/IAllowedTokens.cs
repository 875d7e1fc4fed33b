namespace Soft.Models;

/// <summary>
/// Restricts, per hypothesis and per step, which tokens decoding may choose next (for example a trie of
/// catalogue titles). Disallowed tokens get log-probability −∞; the allowed ones are not renormalised.
/// </summary>
public interface IAllowedTokens
{
    /// <summary>
    /// The ids allowed after <paramref name="generated"/> for the prompt at <paramref name="promptIndex"/>,
    /// or null when every token is allowed. An empty list ends the hypothesis (it can no longer be extended).
    /// </summary>
    /// <param name="promptIndex">Index of the prompt in the batch passed to generation.</param>
    /// <param name="generated">Tokens generated so far for this hypothesis (prompt excluded).</param>
    IReadOnlyList<int>? Allowed(int promptIndex, IReadOnlyList<int> generated);
}
