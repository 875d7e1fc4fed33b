namespace Soft.Data;

/// <summary>One item of a catalogue.</summary>
/// <param name="Index">Dense 0-based position in its <see cref="ItemCatalog"/>; samples refer to items by this index.</param>
/// <param name="Id">The item's identifier as written in the source files (a MovieLens movie id, an ASIN, ...).</param>
/// <param name="Title">The display title, never empty; it is what prompts show and what generated text is matched to.</param>
/// <param name="Metadata">Optional extra text (genres, category), or <see langword="null"/>.</param>
public sealed record CatalogItem(int Index, string Id, string Title, string? Metadata = null);
