namespace Soft.Pipeline;

/// <summary>
/// A sample does not fit the model's context (its prompt, target and EOS plus the longest catalogue title exceed
/// <c>max_position_embeddings</c>, checked before any training or generation); the message names the sample, its
/// token counts, the limit and the option that truncates instead.
/// </summary>
public sealed class ContextLengthExceededException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names the sample and the lengths.</param>
    public ContextLengthExceededException(string message) : base(message) { }
}
