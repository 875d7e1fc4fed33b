namespace Soft.Models;

/// <summary>A tokenizer produced an id that its vocabulary or its model's embedding table does not have.</summary>
public sealed class TokenIdOutOfRangeException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names the text, the id and the limit.</param>
    /// <param name="id">The offending id.</param>
    /// <param name="limit">The number of valid ids.</param>
    public TokenIdOutOfRangeException(string message, int id, int limit)
        : base(message)
    {
        Id = id;
        Limit = limit;
    }

    /// <summary>The offending id.</summary>
    public int Id { get; }

    /// <summary>The number of valid ids (ids are 0 to Limit - 1).</summary>
    public int Limit { get; }
}
