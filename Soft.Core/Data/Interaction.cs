namespace Soft.Data;

/// <summary>One user–item event of an <see cref="InteractionData"/>.</summary>
/// <param name="User">Index into <see cref="InteractionData.UserIds"/>.</param>
/// <param name="Item">Catalogue index into <see cref="InteractionData.Catalog"/>.</param>
/// <param name="Rating">The explicit rating, or <see langword="null"/> when the format has none.</param>
/// <param name="Timestamp">The time in the source's unit (seconds for MovieLens, milliseconds for Amazon 2023), or <see langword="null"/> for order-only data.</param>
public readonly record struct Interaction(int User, int Item, float? Rating, long? Timestamp);
