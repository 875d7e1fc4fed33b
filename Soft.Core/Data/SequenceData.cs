namespace Soft.Data;

/// <summary>What a reader of a sequence file yields: a catalogue and per-user chronological sequences.</summary>
/// <param name="Name">A short name for the data.</param>
/// <param name="Catalog">The items.</param>
/// <param name="Sequences">One sequence per user, items oldest first, with the source's split when it has one.</param>
public sealed record SequenceData(string Name, ItemCatalog Catalog, IReadOnlyList<UserSequence> Sequences);
