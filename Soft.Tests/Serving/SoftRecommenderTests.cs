using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Metrics;
using Soft.Evaluation;
using Soft.Metrics.Exact;
using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Runs;
using Soft.Serving;

namespace Soft.Tests.Serving;

/// <summary>A finished run served in-process: the run's own rankings, every option, every bad input, many threads.</summary>
[Collection(TorchCollection.Name)]
public sealed partial class SoftRecommenderTests(TinyItemTokenRun run) : IClassFixture<TinyItemTokenRun>
{
    private static readonly RecommenderOptions AllItems = new() { ExcludeHistory = false };

    [Theory]
    [InlineData(ReportMethodNames.Soft)]
    [InlineData(ReportMethodNames.Sft)]
    public void Ranks_the_test_samples_as_the_runs_exact_evaluator_did(string method)
    {
        using var recommender = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = method, ExcludeHistory = false });
        recommender.Method.Should().Be(method);
        recommender.ItemTokens.Should().BeTrue();
        recommender.Catalog.Items.Select(i => i.Id).Should().Equal(run.Dataset.Catalog.Items.Select(i => i.Id));

        var catalog = run.Dataset.Catalog;
        var answers = recommender.RecommendMany(run.TestHistories(), k: catalog.Count);
        run.ShouldRankAsTheRunDid(answers, method, EvaluatorNames.Exact);
        for (int i = 0; i < answers.Count; i++)
        {
            answers[i].Select(r => r.Rank).Should().Equal(Enumerable.Range(1, catalog.Count));
            answers[i].Select(r => r.Score).Should().BeInDescendingOrder();
        }
    }

    [Fact]
    public void One_history_at_a_time_gives_the_batched_answer()
    {
        using var recommender = SoftRecommender.Load(run.Folder, AllItems);
        var histories = run.TestHistories();
        var batched = recommender.RecommendMany(histories, k: 5);
        for (int i = 0; i < histories.Count; i++)
        {
            var single = recommender.Recommend(histories[i], k: 5);
            single.Select(r => r.ItemId).Should().Equal(batched[i].Select(r => r.ItemId));
            single.Select(r => r.Score).Should().Equal(batched[i].Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public async Task Concurrent_calls_from_many_threads_give_the_sequential_answers()
    {
        using var recommender = SoftRecommender.Load(run.Folder);
        var histories = run.TestHistories();
        var sequential = histories.Select(h => recommender.Recommend(h, 10)).ToList();

        // Half the threads block, half await (as a web server would); both queue on the one model thread.
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var mine = new List<(int, RecommendationList)>();
            for (int round = 0; round < 3; round++)
            {
                for (int i = (t + round) % histories.Count; i < histories.Count; i += 3)
                    mine.Add((i, t % 2 == 0 ? recommender.Recommend(histories[i], 10) : await recommender.RecommendAsync(histories[i], 10)));
            }
            var many = t % 2 == 0 ? recommender.RecommendMany(histories, 10) : await recommender.RecommendManyAsync(histories, 10);
            mine.AddRange(many.Select((list, i) => (i, list)));
            return mine;
        })).ToList();
        foreach (var (i, list) in (await Task.WhenAll(tasks)).SelectMany(x => x))
        {
            list.Select(r => r.ItemId).Should().Equal(sequential[i].Select(r => r.ItemId));
            list.Select(r => r.Score).Should().Equal(sequential[i].Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public void Leaves_out_the_history_and_applies_the_candidate_filter()
    {
        var histories = run.TestHistories();
        var catalog = run.Dataset.Catalog;
        using (var recommender = SoftRecommender.Load(run.Folder))
        {
            foreach (var history in histories)
                recommender.Recommend(history, catalog.Count).Select(r => r.ItemId).Should().NotIntersectWith(history).And.HaveCount(catalog.Count - history.Distinct().Count());
        }

        string[] only = [.. catalog.Items.Take(4).Select(i => i.Id)];
        string[] excluded = [only[0]];
        using var filtered = SoftRecommender.Load(run.Folder, new RecommenderOptions { OnlyItems = only, ExcludedItems = excluded, ExcludeHistory = false });
        using var all = SoftRecommender.Load(run.Folder, AllItems);
        var answer = filtered.Recommend(histories[0], k: 10);
        answer.Select(r => r.ItemId).Should().Equal(all.Recommend(histories[0], catalog.Count).Select(r => r.ItemId).Where(id => only[1..].Contains(id)));
    }

    [Fact]
    public void Takes_exact_titles_and_keeps_the_most_recent_items_of_a_long_history()
    {
        using var recommender = SoftRecommender.Load(run.Folder, AllItems);
        var catalog = run.Dataset.Catalog;
        recommender.HistoryLength.Should().Be(3);
        var sample = run.Dataset.Test.First(s => s.History.Count == 3 && s.History.All(i => catalog.IndicesWithTitle(catalog[i].Title).Count == 1));
        var ids = sample.History.Select(i => catalog[i].Id).ToList();
        var expected = recommender.Recommend(ids, 10).Select(r => r.ItemId).ToList();

        recommender.Recommend([.. sample.History.Select(i => catalog[i].Title)], 10).Select(r => r.ItemId).Should().Equal(expected);
        string[] older = [.. catalog.Items.Where(i => !ids.Contains(i.Id)).Take(4).Select(i => i.Id)];
        recommender.Recommend([.. older, .. ids], 10).Select(r => r.ItemId).Should().Equal(expected, "only the 3 most recent items make the prompt");
    }

    [Fact]
    public void Unknown_items_are_named_or_skipped_and_reported()
    {
        var history = run.TestHistories()[0];
        using (var strict = SoftRecommender.Load(run.Folder))
        {
            var act = () => strict.Recommend([.. history, "no-such-artist", "nor-this"], 5);
            act.Should().Throw<UnknownItemsException>().WithMessage("*'no-such-artist', 'nor-this'*UnknownItems*")
                .Which.Items.Should().Equal("no-such-artist", "nor-this");
            var many = () => strict.RecommendMany([history, ["ghost"]], 5);
            many.Should().Throw<UnknownItemsException>().WithMessage("histories[1]*'ghost'*").Which.ParamName.Should().Be("histories[1]");
        }

        using var lenient = SoftRecommender.Load(run.Folder, new RecommenderOptions { UnknownItems = UnknownItemHandling.Skip });
        var answer = lenient.Recommend([.. history, "no-such-artist"], 5);
        answer.Skipped.Should().Equal("no-such-artist");
        answer.Select(r => r.ItemId).Should().Equal(lenient.Recommend(history, 5).Select(r => r.ItemId));
        var onlyUnknown = () => lenient.Recommend(["no-such-artist"], 5);
        onlyUnknown.Should().Throw<EmptyHistoryException>().WithMessage("*names no item*MostPopular*");
    }

    [Fact]
    public void An_empty_history_is_an_error_or_the_popularity_list()
    {
        using (var strict = SoftRecommender.Load(run.Folder))
        {
            var act = () => strict.Recommend([], 5);
            act.Should().Throw<EmptyHistoryException>().WithMessage("history is empty*MostPopular*").Which.ParamName.Should().Be("history");
        }

        var counts = new long[run.Dataset.Catalog.Count];
        foreach (int item in run.Dataset.TrainingSequences.SelectMany(s => s))
            counts[item]++;
        var expected = Enumerable.Range(0, counts.Length).OrderByDescending(i => counts[i]).ThenBy(i => i).Take(5).ToList();
        using var cold = SoftRecommender.Load(run.Folder, new RecommenderOptions { EmptyHistory = EmptyHistoryHandling.MostPopular });
        var answers = cold.RecommendMany([[], run.TestHistories()[0]], 5);
        answers[0].IsPopularityFallback.Should().BeTrue();
        answers[0].Select(r => r.ItemId).Should().Equal(expected.Select(i => run.Dataset.Catalog[i].Id));
        answers[0].Select(r => r.Score).Should().Equal(expected.Select(i => (double)counts[i]));
        answers[1].IsPopularityFallback.Should().BeFalse();
    }

    [Fact]
    public void Bad_arguments_name_themselves()
    {
        using var recommender = SoftRecommender.Load(run.Folder);
        var history = run.TestHistories()[0];
        int items = run.Dataset.Catalog.Count;
        var zero = () => recommender.Recommend(history, 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("k");
        var tooMany = () => recommender.Recommend(history, items + 1);
        tooMany.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*{items} items*").Which.ParamName.Should().Be("k");
        var nullHistory = () => recommender.Recommend(null!, 5);
        nullHistory.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("history");
        var nullEntry = () => recommender.RecommendMany([history, [history[0], null!]], 5);
        nullEntry.Should().Throw<ArgumentNullException>().WithMessage("*histories[1][1] is null*");

        var method = () => SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = "BIGRec" });
        method.Should().Throw<ArgumentException>().WithMessage("*no method 'BIGRec'*'SFT', 'SOFT'*");
        var only = () => SoftRecommender.Load(run.Folder, new RecommenderOptions { OnlyItems = ["ghost", history[0]] });
        only.Should().Throw<UnknownItemsException>().WithMessage("RecommenderOptions.OnlyItems*'ghost'*").Which.Items.Should().Equal("ghost");
        var batch = () => SoftRecommender.Load(run.Folder, new RecommenderOptions { BatchSize = 0 });
        batch.Should().Throw<ArgumentException>().WithMessage("*BatchSize*1 … 4096*");
    }

    [Fact]
    public async Task Honours_cancellation_and_refuses_calls_after_dispose()
    {
        var recommender = SoftRecommender.Load(run.Folder);
        var history = run.TestHistories()[0];
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            var act = () => recommender.RecommendMany([history, history], 5, cancelled.Token);
            act.Should().Throw<OperationCanceledException>();
        }
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            var act = () => recommender.RecommendAsync(history, 5, cancelled.Token);
            await act.Should().ThrowAsync<OperationCanceledException>();
        }
        // A call cancelled while queued behind a long one never runs; a long one cancelled stops between batches.
        IReadOnlyList<string>[] crowd = [.. Enumerable.Repeat(history, 4000)];
        var longRun = recommender.RecommendManyAsync(crowd, 5);
        using (var soon = new CancellationTokenSource())
        {
            var queued = recommender.RecommendAsync(history, 5, soon.Token);
            soon.Cancel();
            await queued.Invoking(q => q).Should().ThrowAsync<OperationCanceledException>();
        }
        (await longRun).Should().HaveCount(crowd.Length);
        using (var stop = new CancellationTokenSource())
        {
            var stopped = recommender.RecommendManyAsync(crowd, 5, stop.Token);
            stop.Cancel();
            await stopped.Invoking(q => q).Should().ThrowAsync<OperationCanceledException>();
        }
        recommender.Recommend(history, 5).Should().HaveCount(5, "a cancelled call leaves the recommender usable");
        recommender.Dispose();
        recommender.Dispose();
        var after = () => recommender.Recommend(history, 5);
        after.Should().Throw<ObjectDisposedException>();
        var afterAsync = () => recommender.RecommendManyAsync([history], 5);
        await afterAsync.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public void A_folder_without_serving_files_or_from_a_newer_version_is_refused()
    {
        using var folder = new TempFolder();
        var notRun = () => SoftRecommender.Load(folder.Path);
        notRun.Should().Throw<FileNotFoundException>().WithMessage($"*no {ServingManifest.FileName}*Run the pipeline in it again*");
        var missing = () => SoftRecommender.Load(folder.Combine("nowhere"));
        missing.Should().Throw<DirectoryNotFoundException>();

        // The serving files without a finished stage: a run still training.
        string json = File.ReadAllText(Path.Combine(run.Folder, ServingManifest.FileName));
        File.WriteAllText(folder.Combine(ServingManifest.FileName), json);
        File.Copy(Path.Combine(run.Folder, Soft.Data.CatalogFile.FileName), folder.Combine(Soft.Data.CatalogFile.FileName));
        var training = () => SoftRecommender.Load(folder.Path);
        training.Should().Throw<InvalidOperationException>().WithMessage("*'SOFT' is not trained yet*stage 'soft'*");

        json.Should().Contain("\"formatVersion\": 1");
        File.WriteAllText(folder.Combine(ServingManifest.FileName), json.Replace("\"formatVersion\": 1", "\"formatVersion\": 99", StringComparison.Ordinal));
        var newer = () => SoftRecommender.Load(folder.Path);
        newer.Should().Throw<InvalidDataException>().WithMessage("*format version 99*newer Soft*");
    }

    [Fact]
    public void The_run_recorded_its_serving_files_once_with_checksums()
    {
        var manifest = File.ReadAllText(Path.Combine(run.Folder, RunFolder.ManifestFileName));
        manifest.Should().Contain("\"serving\"").And.Contain(ServingManifest.FileName).And.Contain(Soft.Data.CatalogFile.FileName);
        var serving = ServingManifest.Read(run.Folder);
        serving.ItemTokens.Should().BeTrue();
        serving.BaseModel.Should().Be(LanguageModelSource.BuiltFolderName);
        serving.Methods.Select(m => m.Name).Should().Equal(ReportMethodNames.GuidanceOnly, ReportMethodNames.Sft, ReportMethodNames.Soft);
        SoftRecommender.Methods(run.Folder).Should().Equal(serving.Methods.Select(m => m.Name));
        using var untuned = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.GuidanceOnly });
        untuned.Recommend(run.TestHistories()[0], 3).Should().HaveCount(3);
    }

    [Fact]
    public void AddSoftRecommender_validates_options_at_start_and_registers_one_singleton()
    {
        var bad = new ServiceCollection().AddSoftRecommender(run.Folder, o => { o.BatchSize = 0; o.Method = " "; });
        using (var provider = bad.BuildServiceProvider())
        {
            var start = () => provider.GetRequiredService<IStartupValidator>().Validate();
            start.Should().Throw<OptionsValidationException>().WithMessage("*BatchSize*").And.Message.Should().Contain("Method");
        }

        using var services = new ServiceCollection().AddSoftRecommender(run.Folder, o => o.Method = ReportMethodNames.Sft).BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        var recommender = services.GetRequiredService<IRecommender>();
        recommender.Should().BeSameAs(services.GetRequiredService<SoftRecommender>());
        ((SoftRecommender)recommender).Method.Should().Be(ReportMethodNames.Sft);
        recommender.Recommend(run.TestHistories()[0], 3).Should().HaveCount(3);
    }
}
