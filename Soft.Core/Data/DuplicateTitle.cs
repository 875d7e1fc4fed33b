namespace Soft.Data;

/// <summary>A title that more than one catalogue item carries.</summary>
/// <param name="Title">The shared title.</param>
/// <param name="ItemIndices">The catalogue indices of the items that carry it, in catalogue order.</param>
public sealed record DuplicateTitle(string Title, IReadOnlyList<int> ItemIndices);
