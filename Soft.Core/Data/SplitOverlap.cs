using System.Globalization;

namespace Soft.Data;

/// <summary>
/// Finds splits that share most of their rows, as when the training file was copied over the validation file (a
/// RecBole benchmark folder with <c>X.valid.inter</c> = <c>X.train.inter</c>): legal, but the later split's metrics then
/// measure samples the model trained or validated on.
/// </summary>
internal static class SplitOverlap
{
    /// <summary>The share of a split's rows, found in another split, from which a warning is given.</summary>
    public const double Threshold = 0.5;

    /// <summary>One warning per pair of splits in which at least <see cref="Threshold"/> of one split's rows are in the other.</summary>
    public static IReadOnlyList<string> Warnings(params (string Name, IReadOnlyList<RecommendationSample> Samples)[] splits)
    {
        var keys = splits.Select(s => s.Samples.Select(Key).ToList()).ToArray();
        var warnings = new List<string>();
        for (int a = 0; a < splits.Length; a++)
        {
            var earlier = keys[a].ToHashSet(StringComparer.Ordinal);
            for (int b = a + 1; b < splits.Length; b++)
            {
                if (keys[b].Count == 0)
                    continue;
                int shared = keys[b].Count(earlier.Contains);
                if (shared < Threshold * keys[b].Count)
                    continue;
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{shared:N0} of the {keys[b].Count:N0} {splits[b].Name} rows ({100.0 * shared / keys[b].Count:F0} %) are also {splits[a].Name} rows: {splits[b].Name} metrics will measure {splits[a].Name} samples (was a file copied over another?)."));
            }
        }
        return warnings;
    }

    private static string Key(RecommendationSample s) => $"{s.UserId}\t{s.Target}\t{string.Join(' ', s.History)}";
}
