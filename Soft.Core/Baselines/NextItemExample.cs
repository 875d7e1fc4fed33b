namespace Soft.Baselines;

/// <summary>One next-item prediction case for the classical baselines: a user's recent items and the item that followed.</summary>
/// <param name="History">Item ids (0-based catalogue indices), oldest first.</param>
/// <param name="Target">The item that came next.</param>
public readonly record struct NextItemExample(int[] History, int Target);
