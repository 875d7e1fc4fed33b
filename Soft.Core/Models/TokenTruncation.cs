namespace Soft.Models;

/// <summary>
/// Text cut to a number of tokens: how history titles are capped (<c>SoftOptions.MaxHistoryTitleTokens</c>). Training
/// (<c>ContextLengthCheck</c>) and serving (<c>SoftRecommender</c>) both cut with it, so that a served prompt is the
/// prompt the model was trained on.
/// </summary>
internal static class TokenTruncation
{
    // The text's first tokens, decoded; a cut inside a multi-byte character is backed off to a whole character.
    public static string Truncate(ITextTokenizer tokenizer, string text, int maxTokens)
    {
        var ids = tokenizer.Encode(text, addBos: false);
        if (ids.Count <= maxTokens)
            return text;
        for (int keep = maxTokens; keep > 0; keep--)
        {
            string cut = tokenizer.Decode(ids.Take(keep));
            if (!cut.Contains('\uFFFD', StringComparison.Ordinal) || text.Contains('\uFFFD', StringComparison.Ordinal))
                return cut;
        }
        return tokenizer.Decode(ids.Take(maxTokens));
    }
}
