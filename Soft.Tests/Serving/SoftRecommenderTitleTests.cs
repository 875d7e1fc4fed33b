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

        using var recommender = SoftRecommender.Load(run.Folder, new RecommenderOptions { ExcludeHistory = false });
        recommender.ItemTokens.Should().BeFalse();
        var catalog = run.Dataset.Catalog;
        var answers = recommender.RecommendMany(run.TestHistories(), k: catalog.Count);
        run.ShouldRankAsTheRunDid(answers, ReportMethodNames.Soft, EvaluatorNames.Exact);

        // Without the adapter (the untuned base model) the scores differ: the adapter was really applied.
        using var untuned = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.GuidanceOnly, ExcludeHistory = false });
        untuned.Recommend(run.TestHistories()[0], 5).Select(r => r.Score).Should().NotEqual(answers[0].Take(5).Select(r => r.Score));
    }

    [Fact]
    public void A_bundle_keeps_the_base_model_and_the_adapter_apart_and_answers_as_the_run_does()
    {
        using var folder = new TempFolder();
        var manifest = SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, folder.Combine("soft"));
        manifest.Adapter.Should().BeTrue();
        manifest.Files.Keys.Should().Contain(["model/model.safetensors", "model/config.json", "adapter/adapter_config.json", "adapter/adapter_model.safetensors", "catalog.jsonl", "serving.json"]);
        File.ReadAllBytes(folder.Combine("soft", "model", "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(run.Folder, "base-model", "model.safetensors")), "the base model, unmerged");

        var options = new RecommenderOptions { ExcludeHistory = false };
        var histories = run.TestHistories();
        int all = run.Dataset.Catalog.Count;
        using (var fromRun = SoftRecommender.Load(run.Folder, options))
        using (var fromBundle = SoftRecommender.Load(folder.Combine("soft"), options))
        {
            fromBundle.ItemTokens.Should().BeFalse();
            var expected = fromRun.RecommendMany(histories, all);
            var actual = fromBundle.RecommendMany(histories, all);
            for (int i = 0; i < histories.Count; i++)
            {
                actual[i].Select(r => r.ItemId).Should().Equal(expected[i].Select(r => r.ItemId), $"sample {i}");
                actual[i].Select(r => r.Score).Should().Equal(expected[i].Select(r => r.Score), $"sample {i}");
            }
        }

        // The untuned base model exports without an adapter.
        var untuned = SoftRecommender.Export(run.Folder, ReportMethodNames.GuidanceOnly, folder.Combine("base"));
        untuned.Adapter.Should().BeFalse();
        untuned.Files.Keys.Should().NotContain(k => k.StartsWith("adapter/", StringComparison.Ordinal));
        using var baseRun = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.GuidanceOnly, ExcludeHistory = false });
        using var baseBundle = SoftRecommender.Load(folder.Combine("base"), options);
        baseBundle.Method.Should().Be(ReportMethodNames.GuidanceOnly);
        baseBundle.Recommend(histories[0], 5).Select(r => r.Score).Should().Equal(baseRun.Recommend(histories[0], 5).Select(r => r.Score));
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
