using System.Globalization;
using Soft.Data;

namespace Soft.Recommenders;

/// <summary>
/// The catalogue of a recommender that was trained on bare catalogue indices (the baselines' <c>Fit(…, itemCount)</c>):
/// item i has id and title "i", so <see cref="IRecommender"/> calls still work, in indices.
/// </summary>
internal static class IndexCatalog
{
    public static ItemCatalog Of(int count) =>
        new(Enumerable.Range(0, count).Select(i => new CatalogItem(i, i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture))));
}
