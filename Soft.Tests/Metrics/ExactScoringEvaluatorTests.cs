using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics.Exact;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Models.Scratch;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Metrics;

/// <summary>
/// Exact catalogue scoring equals a brute-force per-item likelihood loop on a toy catalogue: for item tokens (one
/// forward pass, log-softmax over the item columns) and for titles (over the title trie, prompts batched, each
/// prompt's KV cache shared by all nodes).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ExactScoringEvaluatorTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };

    public ExactScoringEvaluatorTests() => ModelTestKit.Initialize(seed: 11);

    [Fact]
    public void Item_token_scores_are_the_full_forward_log_softmax_over_the_item_columns()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(30);
        var template = EvaluationData.Template.WithItemTokens();
        using var model = ItemModel(folder.Path, catalog, template, out int first);
        var samples = EvaluationData.Samples(catalog, 6);
        var dataset = EvaluationData.Dataset(catalog, samples);

        var result = new ExactScoringEvaluator().Evaluate(new EvaluationRequest { Model = model, Dataset = dataset, Samples = samples, Template = template, KeepTopItems = 40 });

        var prompts = samples.Select(s => template.Render(s, catalog).Prompt).ToList();
        var batched = model.NextTokenLogProbabilities(prompts, first, catalog.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            var last = ModelTestKit.Logits(model, model.Tokenizer.Encode(prompts[i]))[^1];
            var items = last.Skip(first).Take(catalog.Count).Select(v => (double)v).ToArray();
            double max = items.Max();
            double logSum = max + Math.Log(items.Sum(v => Math.Exp(v - max)));
            var expected = items.Select(v => v - logSum).ToArray();
            ModelTestKit.MaxAbsDiff(batched[i], expected).Should().BeLessThan(1e-4, $"sample {i}");
            var (rank, top) = Rank(expected, samples[i].Target, catalog.Count);
            result.Predictions[i].Rank.Should().Be(rank, $"sample {i}");
            result.Predictions[i].TopItems.Should().Equal(top.Take(40), $"sample {i}");
            result.Predictions[i].Generated.Should().Be(TitleQuoting.Quote(catalog[top[0]].Title));
        }
        result.Metrics["HR@50"].Should().Be(1, "all 30 items are ranked, so every target is within 50");
    }

    [Fact]
    public void Title_scores_equal_the_per_item_log_likelihood_of_title_and_EOS()
    {
        var catalog = EvaluationData.LastFmCatalog(20);
        var template = EvaluationData.Template;
        using var model = ModelTestKit.LoadStories();
        var samples = EvaluationData.Samples(catalog, 3, seed: 5);
        var dataset = EvaluationData.Dataset(catalog, samples);

        var result = new ExactScoringEvaluator().Evaluate(new EvaluationRequest { Model = model, Dataset = dataset, Samples = samples, Template = template, KeepTopItems = 20 });

        for (int i = 0; i < samples.Count; i++)
        {
            string prompt = template.Render(samples[i], catalog).Prompt;
            var brute = model.LogLikelihood([.. catalog.Items.Select(item => new PromptTarget(prompt, TitleQuoting.Quote(item.Title)))]);
            var continuations = catalog.Items.Select(item => (IReadOnlyList<int>)[.. model.Tokenizer.Encode(TitleQuoting.Quote(item.Title), addBos: false), model.Tokenizer.EosTokenId]).ToList();
            var shared = model.ContinuationLogLikelihoods(prompt, continuations);
            shared.Zip(brute, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-3, $"sample {i}");
            var (rank, top) = Rank(brute, samples[i].Target, 20);
            result.Predictions[i].Rank.Should().Be(rank, $"sample {i}");
            result.Predictions[i].TopItems.Should().Equal(top, $"sample {i}");
        }
    }

    [Theory]
    [InlineData("stories260K")]
    [InlineData("tiny-random-gpt2")]
    public void Trie_scores_of_titles_with_shared_prefixes_equal_the_per_item_loop(string name)
    {
        // Shared prefixes, a title that is a prefix of others, twins, and one-word titles.
        string[] titles = ["The Beatles", "The Beatles Live", "The Beat", "The Band", "Queen", "Queen", "Q", "Radiohead", "The Beatles Live at the BBC", "Abba"];
        var catalog = new ItemCatalog(titles.Select((t, i) => new CatalogItem(0, $"a{i}", t)), "toy");
        var template = EvaluationData.Template;
        using var model = name == "stories260K" ? ModelTestKit.LoadStories() : ModelTestKit.LoadGpt2();
        var scorer = new TitleTrieScorer(model.Tokenizer, template, catalog);
        int titleTokens = catalog.Items.DistinctBy(i => i.Title).Sum(i => model.Tokenizer.Encode(template.ItemText(i.Index, catalog), addBos: false).Count + 1);
        scorer.Trie.NodeCount.Should().BeLessThan(titleTokens + 1, "shared prefixes are nodes once");
        var samples = EvaluationData.Samples(catalog, 5, seed: 3);
        var prompts = samples.Select(s => template.Render(s, catalog).Prompt).ToList();

        var scores = scorer.Score(model, prompts);
        // Chunks of 3 nodes and batches of 2 prompts: the ancestor path in front of a chunk, and batch borders.
        var chunked = model.TrieLogLikelihoods(prompts, scorer.Trie, default, maxChunk: 3, maxPrompts: 2);
        var result = new ExactScoringEvaluator().Evaluate(new EvaluationRequest { Model = model, Dataset = EvaluationData.Dataset(catalog, samples), Samples = samples, Template = template, KeepTopItems = catalog.Count });
        for (int p = 0; p < prompts.Count; p++)
        {
            var brute = model.LogLikelihood([.. catalog.Items.Select(item => new PromptTarget(prompts[p], TitleQuoting.Quote(item.Title)))]);
            scores[p].Zip(brute, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-4, $"prompt {p}");
            scores[p][5].Should().Be(scores[p][4], "twins share a leaf");
            for (int i = 0; i < catalog.Count; i++)
            {
                scorer.Trie.TryFind([.. model.Tokenizer.Encode(template.ItemText(i, catalog), addBos: false), model.Tokenizer.EosTokenId], out int leaf).Should().BeTrue();
                chunked[p][leaf].Should().BeApproximately(scores[p][i], 1e-4, $"prompt {p}, item {i} in small chunks");
            }
            var (rank, top) = Rank(brute, samples[p].Target, catalog.Count);
            result.Predictions[p].Rank.Should().Be(rank, $"sample {p}");
            result.Predictions[p].TopItems.Should().Equal(top, $"sample {p}");
        }
    }

    [Fact]
    public void A_filter_scores_only_its_items_and_leaves_the_others_at_minus_infinity()
    {
        var catalog = EvaluationData.LastFmCatalog(12);
        var template = EvaluationData.Template;
        using var model = ModelTestKit.LoadStories();
        var all = new TitleTrieScorer(model.Tokenizer, template, catalog);
        var even = new TitleTrieScorer(model.Tokenizer, template, catalog, i => i % 2 == 0);
        even.Trie.NodeCount.Should().BeLessThan(all.Trie.NodeCount);
        string prompt = template.Render(EvaluationData.Samples(catalog, 1)[0], catalog).Prompt;
        var full = all.Score(model, [prompt])[0];
        var part = even.Score(model, [prompt])[0];
        for (int i = 0; i < catalog.Count; i++)
        {
            if (i % 2 == 0)
                part[i].Should().BeApproximately(full[i], 1e-4);
            else
                part[i].Should().Be(double.NegativeInfinity);
        }
    }

    [Fact]
    public void A_prompt_that_leaves_no_room_for_the_titles_is_refused_with_the_positions_named()
    {
        var catalog = EvaluationData.LastFmCatalog(5);
        using var model = ModelTestKit.LoadStories();
        var scorer = new TitleTrieScorer(model.Tokenizer, EvaluationData.Template, catalog);
        int words = model.Config.MaxPositions;
        while (model.Tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", words))).Count >= model.Config.MaxPositions)
            words--;
        var act = () => scorer.Score(model, [string.Join(' ', Enumerable.Repeat("cat", words))]);
        act.Should().Throw<ArgumentException>().WithMessage($"*{model.Config.MaxPositions} positions*");
    }

    [Fact]
    public void Ties_go_to_the_lower_index_and_a_cut_above_the_catalogue_keeps_every_item()
    {
        double[] scores = [-1, -0.5, -0.5, -2, -0.5];
        var (rank, top) = Rank(scores, 2, 100);
        rank.Should().Be(1);
        top.Should().Equal(1, 2, 4, 0, 3);
        Rank(scores, 4, 100).Rank.Should().Be(2);
        var (last, cut) = Rank(scores, 3, 2);
        last.Should().Be(4);
        cut.Should().Equal(1, 2);
    }

    [Fact]
    public void A_model_without_item_tokens_is_refused_with_the_missing_token_named()
    {
        var catalog = EvaluationData.LastFmCatalog(4);
        using var model = ModelTestKit.LoadStories();
        var act = () => ItemTokenVocabulary.FirstId(model.Tokenizer, catalog);
        act.Should().Throw<InvalidOperationException>().WithMessage($"*{ItemTokenText.Of(0)}*'{catalog[0].Id}'*");
    }

    /// <summary>A tiny random scratch LLaMA with the compact template's words and one token per item.</summary>
    internal static TorchLanguageModel ItemModel(string folder, ItemCatalog catalog, PromptTemplate template, out int first)
    {
        ScratchModelBuilder.Build(folder, CompactTokenizer.Build([template.RenderPrompt([]), .. catalog.Items.Select(i => i.Title)]), ScratchModelOptions.Tiny, Cpu).Dispose();
        first = ItemTokenVocabulary.Add(folder, catalog, folder);
        return TorchLanguageModel.Load(folder, Cpu);
    }

    // The ranking rule the evaluator applies (CatalogRanking, higher scores first).
    private static (int Rank, int[] Top) Rank(IReadOnlyList<double> scores, int target, int keep)
    {
        double[] values = [.. scores];
        return (CatalogRanking.RankOf<double>(values, target, RankingDirection.HigherIsBetter), CatalogRanking.TopK<double>(values, keep, RankingDirection.HigherIsBetter));
    }
}
