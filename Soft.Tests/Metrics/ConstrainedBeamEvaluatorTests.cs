using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics;
using Soft.Metrics.Constrained;
using Soft.Models;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;

namespace Soft.Tests.Metrics;

[Collection(TorchCollection.Name)]
public sealed class ConstrainedBeamEvaluatorTests : IDisposable
{
    // A duplicate title (0 and 3) and a title that is a prefix of another ("Lily" / "Lily and Tom").
    private static readonly string[] Titles = ["Lily", "Lily and Tom", "the dog", "Lily", "a big red ball", "Tom"];
    private readonly ItemCatalog _catalog = new(Titles.Select((t, i) => new CatalogItem(i, $"i{i}", t)));
    private readonly TorchLanguageModel _model;

    public ConstrainedBeamEvaluatorTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    private IReadOnlyList<RecommendationSample> Samples() =>
    [
        new("u0", [1, 2], 3),
        new("u1", [5], 4),
        new("u2", [0, 4, 5], 1),
    ];

    private EvaluationRequest Request(IReadOnlyList<RecommendationSample> samples) => new()
    {
        Model = _model,
        Dataset = EvaluationData.Dataset(_catalog, samples),
        Samples = samples,
        Template = EvaluationData.Template,
    };

    [Fact]
    public void With_beams_covering_the_catalogue_and_no_length_penalty_it_equals_exhaustive_likelihood_ranking()
    {
        var samples = Samples();
        var evaluator = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { FirstItemOfEachTitle = false, Decoding = { NumBeams = 8 }, BatchSize = 2 });
        var result = evaluator.Evaluate(Request(samples));

        for (int s = 0; s < samples.Count; s++)
        {
            string prompt = EvaluationData.Template.Render(samples[s], _catalog).Prompt;
            var likelihood = _model.LogLikelihood([.. Titles.Select(t => new PromptTarget(prompt, TitleQuoting.Quote(t)))]);
            var expected = Enumerable.Range(0, Titles.Length).OrderByDescending(i => likelihood[i]).ThenBy(i => i).ToArray();
            result.Predictions[s].TopItems.Should().Equal(expected);
            result.Predictions[s].Rank.Should().Be(Array.IndexOf(expected, samples[s].Target));
            result.Predictions[s].Generated.Should().Be(TitleQuoting.Quote(Titles[expected[0]]));
        }
    }

    [Fact]
    public void Every_hypothesis_is_a_catalogue_title_scored_by_its_likelihood()
    {
        var evaluator = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 8 } });
        var trie = evaluator.TrieFor(_catalog, _model.Tokenizer);
        trie.LongestSequence.Should().Be(Titles.Max(t => CatalogTrie.TitleTokens(_model.Tokenizer, t).Length));
        string prompt = EvaluationData.Template.Render(Samples()[1], _catalog).Prompt;
        var beams = _model.Generate([prompt], evaluator.GenerationOptionsFor(trie))[0];

        beams.Should().HaveCount(5, "five distinct titles");
        beams.Should().OnlyContain(b => b.Stopped);
        beams.Select(b => b.Text).Should().BeSubsetOf(Titles.Select(TitleQuoting.Quote));
        var likelihood = _model.LogLikelihood([.. beams.Select(b => new PromptTarget(prompt, b.Text))]);
        for (int i = 0; i < beams.Count; i++)
            beams[i].Score.Should().BeApproximately(likelihood[i], 1e-3, "length penalty 0 scores a title by its log-likelihood");
        trie.ItemsOf(beams.Single(b => b.Text == "\"Lily\"").TokenIds).Should().Equal(0, 3);
    }

    [Fact]
    public void A_shared_title_counts_once_and_a_later_twin_is_scored_by_its_title()
    {
        var samples = Samples();
        var all = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { FirstItemOfEachTitle = false, Decoding = { NumBeams = 8 } }).Evaluate(Request(samples));
        var once = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 8 } }).Evaluate(Request(samples));

        var expected = all.Predictions[0].TopItems.Where(i => i != 3).ToArray();
        once.Predictions[0].TopItems.Should().Equal(expected);
        once.Predictions[0].Rank.Should().Be(Array.IndexOf(expected, 0), "the true item 3 is scored as its title's first item, 0");
    }

    [Fact]
    public void Items_outside_the_returned_beams_are_not_ranked()
    {
        var samples = Samples();
        var result = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 2 } }).Evaluate(Request(samples));
        result.Predictions.Should().OnlyContain(p => p.TopItems.Count <= 2);
        foreach (var p in result.Predictions)
            (p.Rank is null).Should().Be(!p.TopItems.Contains(_catalog.IndicesWithTitle(_catalog[p.Target].Title)[0]));
        var expected = RankingMetrics.Compute(result.Predictions.Select(p => p.Rank));
        result.Metrics[MetricNames.HitRate(50)].Should().Be(expected.HitRate(50));
        result.Metrics[MetricNames.HitRate(5)].Should().Be(result.Metrics[MetricNames.HitRate(50)], "nothing beyond the beams is ranked");
    }

    [Fact]
    public void The_trie_is_built_once_per_catalogue_and_tokenizer()
    {
        var evaluator = new ConstrainedBeamEvaluator();
        var first = evaluator.TrieFor(_catalog, _model.Tokenizer);
        evaluator.TrieFor(_catalog, _model.Tokenizer).Should().BeSameAs(first);
        first.Trie.SequenceCount.Should().Be(6);
        first.Trie.DistinctSequenceCount.Should().Be(5);
        first.AllowedTokens.Allowed(0, [999]).Should().BeEmpty("no title starts with an unknown token");
    }

    [Fact]
    public void Invalid_options_name_the_property()
    {
        var act = () => new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 1, MaxNewTokens = 0 } });
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("NumBeams").And.Contain("MaxNewTokens");
    }

    [Fact]
    public void On_the_full_lastfm_catalogue_every_returned_beam_is_an_artist()
    {
        var data = EmbeddedDatasets.LastFm();
        var samples = data.Test.Take(2).ToList();
        var evaluator = new ConstrainedBeamEvaluator();
        var result = evaluator.Evaluate(new EvaluationRequest { Model = _model, Dataset = data, Samples = samples, Template = EvaluationData.Template });

        var trie = evaluator.TrieFor(data.Catalog, _model.Tokenizer);
        trie.Trie.SequenceCount.Should().Be(4606);
        var titles = data.Catalog.Items.Select(i => TitleQuoting.Quote(i.Title)).ToHashSet();
        foreach (var prediction in result.Predictions)
        {
            prediction.TopItems.Should().HaveCount(10).And.OnlyHaveUniqueItems();
            prediction.TopItems.Should().OnlyContain(i => data.Catalog.IndicesWithTitle(data.Catalog[i].Title)[0] == i);
            titles.Should().Contain(prediction.Generated!);
            prediction.Generated.Should().Be(TitleQuoting.Quote(data.Catalog[prediction.TopItems[0]].Title));
        }
    }
}
