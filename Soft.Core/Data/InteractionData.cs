namespace Soft.Data;

/// <summary>
/// What a reader of an interaction log yields: the item catalogue and every user–item event, in file order (file
/// order is the tie-break when two events of a user share a timestamp). Turn it into train/valid/test samples with
/// <see cref="RecommendationDatasetBuilder.FromInteractions"/>.
/// </summary>
public sealed class InteractionData
{
    internal InteractionData(string name, ItemCatalog catalog, IReadOnlyList<string> userIds, IReadOnlyList<Interaction> interactions, int itemsWithoutTitle, long interactionsWithoutTitle)
    {
        Name = name;
        Catalog = catalog;
        UserIds = userIds;
        Interactions = interactions;
        ItemsWithoutTitle = itemsWithoutTitle;
        InteractionsWithoutTitle = interactionsWithoutTitle;
        HasTimestamps = interactions.Count > 0 && interactions.All(i => i.Timestamp is not null);
    }

    /// <summary>A short name for the data (used in statistics and error messages).</summary>
    public string Name { get; }

    /// <summary>The titled items.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>User ids as written in the source, indexed by <see cref="Interaction.User"/>, in order of first appearance.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>Every kept interaction, in file order.</summary>
    public IReadOnlyList<Interaction> Interactions { get; }

    /// <summary>Whether every interaction carries a timestamp (otherwise only the file order is known).</summary>
    public bool HasTimestamps { get; }

    /// <summary>Items that were referenced or listed but had no title, and were dropped with their interactions.</summary>
    public int ItemsWithoutTitle { get; }

    /// <summary>Interactions dropped because their item had no title.</summary>
    public long InteractionsWithoutTitle { get; }

    /// <summary>What reading dropped, counted by reason (no title, unknown item, duplicate); empty when nothing was.</summary>
    public IReadOnlyList<DatasetDrop> Drops { get; init; } = [];

    /// <summary>
    /// Per-user sequences in chronological order. Ties in time keep file order (a stable sort): 51 % of consecutive
    /// MovieLens-100K events of a user share a timestamp, so the tie-break decides what a "next item" is.
    /// </summary>
    /// <returns>One sequence per user, in order of the user's first appearance.</returns>
    public IReadOnlyList<UserSequence> ToSequences()
    {
        var perUser = new List<int>[UserIds.Count];
        for (int i = 0; i < Interactions.Count; i++)
            (perUser[Interactions[i].User] ??= []).Add(i);

        var sequences = new List<UserSequence>(UserIds.Count);
        for (int u = 0; u < perUser.Length; u++)
        {
            if (perUser[u] is not { } events)
                continue;
            if (HasTimestamps)
                events = [.. events.OrderBy(e => Interactions[e].Timestamp!.Value)]; // OrderBy is stable.
            int[] items = [.. events.Select(e => Interactions[e].Item)];
            long[]? times = HasTimestamps ? [.. events.Select(e => Interactions[e].Timestamp!.Value)] : null;
            sequences.Add(new UserSequence(UserIds[u], items, times));
        }
        return sequences;
    }
}
