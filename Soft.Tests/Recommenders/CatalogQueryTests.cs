using Soft.Data;
using Soft.Recommenders;

namespace Soft.Tests.Recommenders;

/// <summary>The top-k selection that answers small k gives exactly the first k of the full ranking.</summary>
public sealed class CatalogQueryTests
{
    [Fact]
    public void The_top_k_of_a_heap_selection_are_the_first_k_of_the_full_sort()
    {
        var random = new Random(7);
        // Few distinct values, NaN and infinities among them, so ties and the NaN rule decide much of the order.
        double[] values = [0, 1, -1, 2.5, double.NaN, double.NegativeInfinity, double.PositiveInfinity];
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(1, 120);
            var catalog = new ItemCatalog(Enumerable.Range(0, n).Select(i => new CatalogItem(i, $"id{i}", $"title {i}")));
            var options = new RecommenderOptions { ExcludeHistory = random.Next(2) == 0 };
            if (random.Next(3) == 0)
                options.OnlyItems = [.. Enumerable.Range(0, n).Where(_ => random.Next(2) == 0).DefaultIfEmpty(0).Select(i => $"id{i}")];
            var query = new CatalogQuery(catalog, options, null);
            double[] scores = [.. Enumerable.Range(0, n).Select(_ => values[random.Next(values.Length)])];
            var history = new ResolvedHistory([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(n))], []);

            var full = query.Rank(scores, history, n);
            int k = random.Next(1, n + 1);
            var top = query.Rank(scores, history, k);

            top.Select(r => r.ItemId).Should().Equal(full.Take(k).Select(r => r.ItemId), $"trial {trial}: n {n}, k {k}");
            top.Select(r => r.Rank).Should().Equal(Enumerable.Range(1, top.Count));
        }
    }
}
