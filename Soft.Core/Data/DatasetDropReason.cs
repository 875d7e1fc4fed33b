namespace Soft.Data;

/// <summary>The reasons of <see cref="DatasetDrop.Reason"/>, as written in the data report.</summary>
public static class DatasetDropReason
{
    /// <summary>An item whose title is null, missing or blank: a prompt cannot name it. Its interactions go with it.</summary>
    public const string NoTitle = "no title";

    /// <summary>An interaction that names an item the item list (metadata) does not hold.</summary>
    public const string UnknownItem = "unknown item";

    /// <summary>A row identical to an earlier one (Amazon's ratings, as the SOFT reference drops them).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Users and items the k-core filter removed (<see cref="DatasetOptions.KCore"/>).</summary>
    public const string KCore = "k-core";

    /// <summary>A user with a single interaction (after the k-core, when on): no history to predict from, so no sample.</summary>
    public const string TooShort = "too short";
}
