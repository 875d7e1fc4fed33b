namespace Soft.Models;

/// <summary>
/// Turns texts into fixed-size vectors. BIGRec's grounding embeds item titles and generated answers with the
/// same embedder (the untuned base model), so that distances between them are meaningful.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>
    /// Per text, the last layer's hidden state (after the final norm) at its last token, as in BIGRec's grounding.
    /// Texts are encoded with the tokenizer's default BOS handling.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    float[][] Embed(IReadOnlyList<string> texts);
}
