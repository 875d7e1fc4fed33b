namespace Soft.Pipeline;

/// <summary>
/// A sample does not fit the model's context (see <see cref="ContextLengthCheck"/>); the message names the sample, its
/// token counts, the limit and the option that truncates instead.
/// </summary>
public sealed class ContextLengthExceededException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names the sample and the lengths.</param>
    public ContextLengthExceededException(string message) : base(message) { }
}
