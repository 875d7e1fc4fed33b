namespace Soft.Data;

/// <summary>
/// Joins training samples back into per-user item sequences: a sample whose history ends with the previous sample's
/// target (same user) continues that sequence with its own target; any other sample starts a new one with its history
/// and target. Sliding windows over a user's sequence therefore give back the sequence, and each transition appears
/// once instead of once per window.
/// </summary>
internal static class TrainingChains
{
    public static IReadOnlyList<IReadOnlyList<int>> From(IReadOnlyList<RecommendationSample> train)
    {
        var chains = new List<List<int>>();
        var open = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var sample in train)
        {
            if (open.TryGetValue(sample.UserId, out var chain) && sample.History.Count > 0 && sample.History[^1] == chain[^1])
            {
                chain.Add(sample.Target);
                continue;
            }
            chain = [.. sample.History, sample.Target];
            chains.Add(chain);
            open[sample.UserId] = chain;
        }
        return chains;
    }
}
