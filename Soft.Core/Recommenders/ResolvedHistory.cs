namespace Soft.Recommenders;

/// <summary>A history as catalogue indices, oldest first, and the entries that named no item and were skipped.</summary>
internal sealed record ResolvedHistory(int[] Items, string[] Skipped);
