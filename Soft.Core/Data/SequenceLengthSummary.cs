namespace Soft.Data;

/// <summary>The distribution of user sequence lengths (or, for sample-only sources, of history + target lengths).</summary>
/// <param name="Count">How many sequences.</param>
/// <param name="Min">Shortest.</param>
/// <param name="Percentile25">25th percentile (nearest rank).</param>
/// <param name="Median">Median (nearest rank).</param>
/// <param name="Percentile75">75th percentile (nearest rank).</param>
/// <param name="Percentile90">90th percentile (nearest rank).</param>
/// <param name="Max">Longest.</param>
/// <param name="Mean">Arithmetic mean.</param>
public sealed record SequenceLengthSummary(int Count, int Min, int Percentile25, int Median, int Percentile75, int Percentile90, int Max, double Mean)
{
    internal static SequenceLengthSummary Of(IEnumerable<int> lengths)
    {
        int[] sorted = [.. lengths.Order()];
        if (sorted.Length == 0)
            return new SequenceLengthSummary(0, 0, 0, 0, 0, 0, 0, 0);
        int Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new SequenceLengthSummary(sorted.Length, sorted[0], Rank(0.25), Rank(0.5), Rank(0.75), Rank(0.9), sorted[^1], sorted.Average());
    }
}
