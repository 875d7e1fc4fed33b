using Soft.Data;

namespace Soft.Tests.Evaluation;

/// <summary>Small real catalogues and seeded samples over them for the evaluation and distillation tests.</summary>
internal static class EvaluationData
{
    private static readonly Lazy<RecommendationDataset> LastFm = new(() => EmbeddedDatasets.LastFm());

    /// <summary>The whole LastFM catalogue (4,606 artists).</summary>
    public static ItemCatalog FullLastFm => LastFm.Value.Catalog;

    /// <summary>The first <paramref name="count"/> LastFM artists as a catalogue of their own.</summary>
    public static ItemCatalog LastFmCatalog(int count) =>
        new(LastFm.Value.Catalog.Items.Take(count).Select(i => i with { Index = 0 }), "lastfm-head");

    /// <summary>Seeded samples with 3 history items and a target drawn from <paramref name="catalog"/>.</summary>
    public static IReadOnlyList<RecommendationSample> Samples(ItemCatalog catalog, int count, int seed = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new RecommendationSample(
            $"u{i}", [.. Enumerable.Range(0, 3).Select(_ => random.Next(catalog.Count))], random.Next(catalog.Count)))];
    }

    /// <summary>A dataset whose every split is <paramref name="samples"/>.</summary>
    public static RecommendationDataset Dataset(ItemCatalog catalog, IReadOnlyList<RecommendationSample> samples) =>
        new("test", RecommendationDomain.Artists, catalog, samples, samples, samples, null, 3, SplitProtocol.Predefined, TrainingChains.From(samples));

    /// <summary>The short template: stories260K's context is 512 tokens.</summary>
    public static PromptTemplate Template => PromptTemplate.Compact(RecommendationDomain.Artists);
}
