using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics;
using Soft.Metrics.Grounding;
using Soft.Models;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;

namespace Soft.Tests.Metrics;

[Collection(TorchCollection.Name)]
public sealed class GroundingEvaluatorTests : IDisposable
{
    private static readonly int[] Cutoffs = [1, 5, 10, 20, 50];
    private readonly TorchLanguageModel _model;
    private readonly ItemCatalog _catalog = EvaluationData.LastFmCatalog(200);

    public GroundingEvaluatorTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    private EvaluationRequest Request(ILanguageModel model, IReadOnlyList<RecommendationSample> samples) => new()
    {
        Model = model,
        Dataset = EvaluationData.Dataset(_catalog, samples),
        Samples = samples,
        Template = EvaluationData.Template,
        Cutoffs = Cutoffs,
    };

    [Fact]
    public void With_item_tokens_items_and_answers_are_embedded_at_the_item_token_so_a_right_answer_is_at_distance_zero()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(30);
        var template = EvaluationData.Template.WithItemTokens();
        using var model = Soft.Tests.Metrics.ExactScoringEvaluatorTests.ItemModel(folder.Path, catalog, template, out _);
        var samples = EvaluationData.Samples(catalog, 6);
        var dataset = EvaluationData.Dataset(catalog, samples);
        var evaluator = new GroundingEvaluator(model, new GroundingEvaluatorOptions { BatchSize = 4 });

        // The answer is the most probable item (never an empty beam).
        var prompts = samples.Select(s => template.Render(s, catalog).Prompt).ToList();
        var logProbabilities = model.NextTokenLogProbabilities(prompts, Soft.Models.ItemTokens.ItemTokenVocabulary.FirstId(model.Tokenizer, catalog), catalog.Count);
        int Answer(string prompt) { int i = prompts.IndexOf(prompt); return Enumerable.Range(0, catalog.Count).MaxBy(j => logProbabilities[i][j]); }

        var result = evaluator.Evaluate(new EvaluationRequest { Model = model, Dataset = dataset, Samples = samples, Template = template, Cutoffs = Cutoffs });

        var table = evaluator.TableFor(catalog);
        table.Source.Should().Be(ItemVectorSource.ItemToken);
        for (int item = 0; item < catalog.Count; item += 7)
        {
            // Equal up to float rounding: the table embeds in batches, this call one text alone.
            ModelTestKit.MaxAbsDiff(table.Row(item).ToArray(), [.. model.Embed([ItemTokenText.Of(item)])[0].Select(v => (double)v)]).Should().BeLessThan(1e-4, $"item {item}'s row is the state at its token");
        }
        for (int i = 0; i < samples.Count; i++)
        {
            int answered = Answer(prompts[i]);
            result.Predictions[i].TopItems[0].Should().Be(answered, "the answer's own item is at distance 0, nearest of all");
            result.Predictions[i].Generated.Should().Be(TitleQuoting.Quote(catalog[answered].Title), "predictions show titles");
        }
        // The curriculum's d: about 0 when the answer is the true item, the distance between the two items' rows when not.
        var right = samples[0] with { Target = Answer(prompts[0]) };
        var wrong = samples[1] with { Target = (Answer(prompts[1]) + 1) % catalog.Count };
        evaluator.MeanDistanceToTargets(model, [right], EvaluationData.Dataset(catalog, [right]), template).Should().BeLessThan(1e-4);
        evaluator.MeanDistanceToTargets(model, [wrong], EvaluationData.Dataset(catalog, [wrong]), template)
            .Should().BeApproximately(ItemEmbeddingTable.Distance(table.Row(Answer(prompts[1])), table.Row(wrong.Target)), 1e-3).And.BeGreaterThan(1e-2);
    }

    [Fact]
    public void Title_vectors_stay_available_for_an_item_token_model()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(30);
        var template = EvaluationData.Template.WithItemTokens();
        using var model = Soft.Tests.Metrics.ExactScoringEvaluatorTests.ItemModel(folder.Path, catalog, template, out _);
        var samples = EvaluationData.Samples(catalog, 2);
        var evaluator = new GroundingEvaluator(model, new GroundingEvaluatorOptions { ItemVectors = ItemVectorSource.Title });

        evaluator.Evaluate(new EvaluationRequest { Model = model, Dataset = EvaluationData.Dataset(catalog, samples), Samples = samples, Template = template, Cutoffs = Cutoffs });

        var table = evaluator.TableFor(catalog);
        table.Source.Should().Be(ItemVectorSource.Title);
        ModelTestKit.MaxAbsDiff(table.Row(3).ToArray(), [.. model.Embed([TitleQuoting.Quote(catalog[3].Title)])[0].Select(v => (double)v)]).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void Ranks_equal_a_brute_force_recomputation_and_metrics_are_consistent()
    {
        var samples = EvaluationData.Samples(_catalog, 5);
        var evaluator = new GroundingEvaluator(_model, new GroundingEvaluatorOptions { Decoding = { MaxNewTokens = 24 }, BatchSize = 3 });
        var result = evaluator.Evaluate(Request(_model, samples));

        result.Evaluator.Should().Be("grounding");
        result.Predictions.Should().HaveCount(5);
        var table = evaluator.TableFor(_catalog);
        var rows = table.RankingRows;
        for (int s = 0; s < samples.Count; s++)
        {
            var prediction = result.Predictions[s];
            prediction.SampleIndex.Should().Be(s);
            prediction.UserId.Should().Be(samples[s].UserId);
            prediction.Target.Should().Be(samples[s].Target);
            prediction.Generated.Should().NotBeNullOrEmpty();

            // Brute force in double: embed the answer, sort the first item of every title by (distance, id).
            var answer = _model.Embed([prediction.Generated!])[0];
            var order = rows
                .Select(item => (Item: item, Distance: Math.Sqrt(answer.Select((a, j) => (double)(a - table.Row(item)[j]) * (a - table.Row(item)[j])).Sum())))
                .OrderBy(x => x.Distance).ThenBy(x => x.Item).Select(x => x.Item).ToList();
            int truth = _catalog.IndicesWithTitle(_catalog[samples[s].Target].Title)[0];
            prediction.Rank.Should().Be(order.IndexOf(truth), $"sample {s}");
            prediction.TopItems.Should().Equal(order.Take(20));
            prediction.Rank.Should().BeInRange(0, rows.Count - 1);
        }

        var metrics = result.Metrics;
        metrics.Values.Should().OnlyContain(v => v >= 0 && v <= 1);
        var hr = Cutoffs.Select(k => metrics[MetricNames.HitRate(k)]).ToArray();
        hr.Should().BeInAscendingOrder();
        var expected = RankingMetrics.Compute(result.Predictions.Select(p => p.Rank), Cutoffs);
        foreach (int k in Cutoffs)
        {
            metrics[MetricNames.HitRate(k)].Should().Be(expected.HitRate(k));
            metrics[MetricNames.Ndcg(k)].Should().Be(expected.Ndcg(k));
        }
    }

    [Fact]
    public void An_answer_that_is_an_item_title_is_at_distance_zero_and_ranks_first()
    {
        var evaluator = new GroundingEvaluator(_model);
        var table = evaluator.TableFor(_catalog);
        foreach (int item in new[] { 0, 17, 99, 199 }.Where(table.IsRankingRow))
        {
            var answer = _model.Embed([TitleQuoting.Quote(_catalog[item].Title)])[0];
            var ranked = L2Grounding.Rank(answer, table, item, keepTop: 5);
            // Embedded alone here but among 16 padded titles in the table: equal up to float rounding, not bit-exact.
            ranked.TargetDistance.Should().BeApproximately(0, 1e-4f);
            ranked.Rank.Should().Be(0);
            ranked.TopItems[0].Should().Be(item);
            L2Grounding.Rank(table.Row(item), table, item, keepTop: 2).TargetDistance.Should().Be(0, "the row itself is at distance exactly 0");
            float second = L2Grounding.Distance(answer, table.Row(ranked.TopItems[1]));
            second.Should().BeGreaterThan(1000 * Math.Max(ranked.TargetDistance, 1e-6f), "the next item is far, so rank 0 is no rounding accident");
        }
    }

    [Fact]
    public void An_oracle_that_answers_the_true_title_gets_perfect_metrics_and_zero_distance()
    {
        var samples = EvaluationData.Samples(_catalog, 6, seed: 3);
        var dataset = EvaluationData.Dataset(_catalog, samples);
        var byPrompt = samples.ToDictionary(s => EvaluationData.Template.Render(s, _catalog).Prompt, s => TitleQuoting.Quote(_catalog[s.Target].Title));
        var oracle = new DelegatingLanguageModel(_model, prompt => byPrompt[prompt]);
        var evaluator = new GroundingEvaluator(_model);

        var result = evaluator.Evaluate(Request(oracle, samples));
        result.Predictions.Should().OnlyContain(p => p.Rank == 0);
        result.Metrics[MetricNames.HitRate(1)].Should().Be(1);
        result.Metrics[MetricNames.Mrr].Should().Be(1);
        evaluator.MeanDistanceToTargets(oracle, samples, dataset, EvaluationData.Template).Should().BeApproximately(0, 1e-4, "answers equal the targets' titles (up to batch rounding)");
    }

    [Fact]
    public void An_empty_answer_is_not_ranked_and_counts_as_a_random_guess_for_the_distance()
    {
        var samples = EvaluationData.Samples(_catalog, 2);
        var silent = new DelegatingLanguageModel(_model, _ => string.Empty);
        var evaluator = new GroundingEvaluator(_model);
        var result = evaluator.Evaluate(Request(silent, samples));
        result.Predictions.Should().OnlyContain(p => p.Rank == null && p.TopItems.Count == 0);
        result.Metrics[MetricNames.HitRate(50)].Should().Be(0);

        // For the curriculum an empty answer is a random guess: the target's mean distance to every ranked item.
        var table = evaluator.TableFor(_catalog);
        double expected = samples.Average(s => table.RankingRows.Average(r => (double)ItemEmbeddingTable.Distance(table.Row(r), table.Row(s.Target))));
        evaluator.MeanDistanceToTargets(silent, samples, EvaluationData.Dataset(_catalog, samples), EvaluationData.Template)
            .Should().BeApproximately(expected, 1e-6).And.BeGreaterThan(0);
    }

    [Fact]
    public void Mean_distance_is_the_mean_of_answer_to_target_distances()
    {
        var samples = EvaluationData.Samples(_catalog, 3, seed: 5);
        var dataset = EvaluationData.Dataset(_catalog, samples);
        var evaluator = new GroundingEvaluator(_model, new GroundingEvaluatorOptions { Decoding = { MaxNewTokens = 16 } });
        var table = evaluator.TableFor(_catalog);
        var counting = new DelegatingLanguageModel(_model);

        double mean = evaluator.MeanDistanceToTargets(counting, samples, dataset, EvaluationData.Template);

        var prompts = samples.Select(s => EvaluationData.Template.Render(s, _catalog).Prompt).ToList();
        var answers = _model.Generate(prompts, new GenerationOptions { NumBeams = 4, MaxNewTokens = 16 }).Select(g => g[0].Text).ToList();
        var vectors = _model.Embed(answers);
        double expected = samples.Select((s, i) => (double)ItemEmbeddingTable.Distance(vectors[i], table.Row(s.Target))).Average();
        mean.Should().BeApproximately(expected, 1e-9);
        mean.Should().BeGreaterThan(0);
        counting.GeneratedPrompts.Should().Equal(prompts);
    }

    [Fact]
    public void The_distance_subset_is_seeded_fixed_size_and_in_training_order()
    {
        var train = EvaluationData.Samples(_catalog, 1000, seed: 9);
        var a = GroundingEvaluator.SelectDistanceSamples(train, seed: 42);
        var b = GroundingEvaluator.SelectDistanceSamples(train, seed: 42);
        var c = GroundingEvaluator.SelectDistanceSamples(train, seed: 43);

        a.Should().HaveCount(256);
        a.Should().Equal(b);
        a.Should().NotEqual(c);
        a.Distinct().Should().HaveCount(256);
        a.Select(s => int.Parse(s.UserId[1..])).Should().BeInAscendingOrder();
        GroundingEvaluator.SelectDistanceSamples(train.Take(100).ToList(), 42).Should().HaveCount(100);
    }

    [Fact]
    public void A_prebuilt_table_of_another_size_is_rejected()
    {
        var table = ItemEmbeddingTable.FromRows(EvaluationData.LastFmCatalog(3), [[1f], [2f], [3f]]);
        var evaluator = new GroundingEvaluator(_model, table: table);
        var act = () => evaluator.TableFor(_catalog);
        act.Should().Throw<ArgumentException>().WithMessage("*3 rows*200 items*");
    }

    [Fact]
    public void Invalid_options_name_the_property()
    {
        var act = () => new GroundingEvaluator(_model, new GroundingEvaluatorOptions { Decoding = { NumBeams = 0 }, BatchSize = 0 });
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("NumBeams").And.Contain("BatchSize");
    }

    [Fact]
    public void Cancellation_is_honoured_and_progress_counts_samples()
    {
        var samples = EvaluationData.Samples(_catalog, 3);
        var oracle = new DelegatingLanguageModel(_model, _ => "\"x\"");
        var evaluator = new GroundingEvaluator(_model, new GroundingEvaluatorOptions { BatchSize = 2 });
        var reports = new List<(int, int)>();
        var request = new EvaluationRequest
        {
            Model = oracle,
            Dataset = EvaluationData.Dataset(_catalog, samples),
            Samples = samples,
            Template = EvaluationData.Template,
            Progress = new ListProgress(reports),
        };
        evaluator.Evaluate(request);
        reports.Should().Equal((2, 3), (3, 3));

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var act = () => evaluator.Evaluate(request, cancel.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    private sealed class ListProgress(List<(int, int)> reports) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reports.Add(value);
    }
}
