using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Turns <see cref="IAllowedTokens"/> answers into an additive (rows, vocab) mask of 0 and −∞.</summary>
internal static class AllowedTokenMask
{
    /// <summary>
    /// The mask for <paramref name="rows"/> (prompt index, tokens so far, active); null when
    /// every row allows every token. Rows marked inactive are left unrestricted (their result is discarded).
    /// </summary>
    public static Tensor? Build(IAllowedTokens? hook, IReadOnlyList<(int PromptIndex, IReadOnlyList<int> Generated, bool Active)> rows, int vocabulary, Device device)
    {
        if (hook is null)
            return null;
        float[]? mask = null;
        for (int r = 0; r < rows.Count; r++)
        {
            if (!rows[r].Active)
                continue;
            var allowed = hook.Allowed(rows[r].PromptIndex, rows[r].Generated);
            if (allowed is null)
                continue;
            if (mask is null)
                mask = new float[rows.Count * vocabulary];
            var row = mask.AsSpan(r * vocabulary, vocabulary);
            row.Fill(float.NegativeInfinity);
            foreach (int id in allowed)
            {
                if ((uint)id >= (uint)vocabulary)
                    throw new ArgumentOutOfRangeException(nameof(hook), id, $"IAllowedTokens returned id {id}, outside the vocabulary (0..{vocabulary - 1}).");
                row[id] = 0f;
            }
        }
        return mask is null ? null : tensor(mask, [rows.Count, vocabulary], device: device);
    }
}
