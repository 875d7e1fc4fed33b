using Soft.Data;

namespace Soft.Tests.Pipeline;

/// <summary>
/// A slice of the real embedded LastFM data small enough for an end-to-end pipeline test: the first users of each
/// of LLaRA's splits, with the catalogue cut down to the artists they listened to (re-indexed).
/// </summary>
internal static class SmallLastFm
{
    public static RecommendationDataset Load(int trainUsers, int otherUsers, int maxItemsPerUser, DatasetOptions options)
    {
        var data = EmbeddedDatasets.LastFmSequences();
        var picked = data.Sequences.Where(s => s.Split == DataSplit.Train).Take(trainUsers)
            .Concat(data.Sequences.Where(s => s.Split == DataSplit.Valid).Take(otherUsers))
            .Concat(data.Sequences.Where(s => s.Split == DataSplit.Test).Take(otherUsers))
            .Select(s => s with { Items = [.. s.Items.Take(maxItemsPerUser)] })
            .ToList();
        int[] used = [.. picked.SelectMany(s => s.Items).Distinct().Order()];
        var newIndex = used.Select((old, i) => (old, i)).ToDictionary(p => p.old, p => p.i);
        var catalog = new ItemCatalog(used.Select((old, i) => new CatalogItem(i, data.Catalog[old].Id, data.Catalog[old].Title)));
        var sequences = picked.Select(s => s with { Items = [.. s.Items.Select(i => newIndex[i])] }).ToList();
        return RecommendationDatasetBuilder.FromSequences("lastfm-small", catalog, sequences, RecommendationDomain.Artists, options);
    }
}
