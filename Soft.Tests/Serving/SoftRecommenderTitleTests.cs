using Soft.Metrics;
using Soft.Evaluation;
using Soft.Metrics.Exact;
using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Serving;

namespace Soft.Tests.Serving;

/// <summary>A run whose items are titles and whose stages trained LoRA adapters, served from its base model plus an adapter.</summary>
[Collection(TorchCollection.Name)]
public sealed class SoftRecommenderTitleTests(TinyTitleLoraRun run) : IClassFixture<TinyTitleLoraRun>
{
    [Fact]
    public void Scores_titles_on_the_base_model_with_the_adapter_as_the_run_did()
    {
        var serving = ServingManifest.Read(run.Folder);
        serving.ItemTokens.Should().BeFalse();
        serving.Methods.Where(m => m.Folder is not null).Should().OnlyContain(m => m.Adapter);

        var predictions = PredictionsFile.Read(Path.Combine(run.Folder, SoftTrainer.TestPredictionsFile(ReportMethodNames.Soft, EvaluatorNames.Exact)));
        using var recommender = SoftRecommender.Load(run.Folder, new RecommenderOptions { ExcludeHistory = false });
        recommender.ItemTokens.Should().BeFalse();
        var catalog = run.Dataset.Catalog;
        var answers = recommender.RecommendMany(run.TestHistories(), k: catalog.Count);
        for (int i = 0; i < predictions.Count; i++)
        {
            answers[i].Take(predictions[i].TopItems.Count).Select(r => r.ItemId).Should().Equal(predictions[i].TopItems.Select(t => catalog[t].Id), $"sample {i}'s top items");
            answers[i].Select(r => r.ItemId).ToList().IndexOf(catalog[predictions[i].Target].Id).Should().Be(predictions[i].Rank);
        }

        // Without the adapter (the untuned base model) the scores differ: the adapter was really applied.
        using var untuned = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.GuidanceOnly, ExcludeHistory = false });
        untuned.Recommend(run.TestHistories()[0], 5).Select(r => r.Score).Should().NotEqual(answers[0].Take(5).Select(r => r.Score));
    }

    [Fact]
    public void A_candidate_filter_scores_only_the_allowed_titles_and_ranks_them_alike()
    {
        var catalog = run.Dataset.Catalog;
        string[] only = [.. catalog.Items.Where((_, i) => i % 3 == 0).Select(i => i.Id)];
        using var all = SoftRecommender.Load(run.Folder, new RecommenderOptions { ExcludeHistory = false });
        using var filtered = SoftRecommender.Load(run.Folder, new RecommenderOptions { ExcludeHistory = false, OnlyItems = only });
        var history = run.TestHistories()[1];
        var expected = all.Recommend(history, catalog.Count).Where(r => only.Contains(r.ItemId)).ToList();
        var answer = filtered.Recommend(history, catalog.Count);
        answer.Select(r => r.ItemId).Should().Equal(expected.Select(r => r.ItemId));
        answer.Select(r => r.Score).Should().Equal(expected.Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-4);
    }
}
