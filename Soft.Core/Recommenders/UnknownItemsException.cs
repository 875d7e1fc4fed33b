namespace Soft.Recommenders;

/// <summary>A history or a candidate filter names items the catalogue does not have; <see cref="Items"/> lists them.</summary>
public sealed class UnknownItemsException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="items"/>.</summary>
    /// <param name="message">The message, which names the items.</param>
    /// <param name="items">The entries that named no item.</param>
    /// <param name="paramName">The argument or option that held them.</param>
    public UnknownItemsException(string message, IReadOnlyList<string> items, string? paramName)
        : base(message, paramName)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
    }

    /// <summary>The entries that are neither an item id nor an exact title of the catalogue.</summary>
    public IReadOnlyList<string> Items { get; }
}
