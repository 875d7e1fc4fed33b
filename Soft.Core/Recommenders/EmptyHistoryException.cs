namespace Soft.Recommenders;

/// <summary>
/// A history is empty (or empty once unknown entries were skipped) and <see cref="RecommenderOptions.EmptyHistory"/>
/// asks for an error rather than the popularity list.
/// </summary>
public sealed class EmptyHistoryException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was empty, and how to get the popularity list instead.</param>
    /// <param name="paramName">The argument that held the history.</param>
    public EmptyHistoryException(string message, string? paramName)
        : base(message, paramName)
    {
    }
}
