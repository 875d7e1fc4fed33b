using Soft.Runtime;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Position ids and the boolean attention mask for a step of a left-padded batch, from the 2-D padding mask of
/// every token seen so far (cached ones first, then this step's).
/// </summary>
internal static class AttentionMask
{
    /// <summary>
    /// Positions (B, T) count only real tokens, so a left-padded row gets the same positions as the unpadded one.
    /// Padding positions get 0; their outputs are never used.
    /// </summary>
    public static Tensor Positions(Tensor padding, long stepLength)
    {
        var positions = padding.to(ScalarType.Int64).cumsum(1).sub(Scalars.One); // (B, S)
        return positions.clamp_min(Scalars.Zero)[.., (int)(padding.shape[1] - stepLength)..];
    }

    /// <summary>
    /// (B, 1, T, S), true = attend: a query sees real keys at or before its own index. Each query also sees
    /// itself, so a padding query never has an all-false row (that would give NaN, and 0·NaN still poisons the
    /// real rows through the values).
    /// </summary>
    public static Tensor Causal(Tensor padding, long stepLength)
    {
        long total = padding.shape[1];
        long past = total - stepLength;
        var query = Scalars.Arange(past, total, ScalarType.Int64, padding.device).view(1, stepLength, 1);
        var key = Scalars.Arange(0, total, ScalarType.Int64, padding.device).view(1, 1, total);
        var allowed = key.le(query).logical_and(padding.to(ScalarType.Bool).unsqueeze(1)); // (B, T, S)
        return allowed.logical_or(key.eq(query)).unsqueeze(1);
    }
}
