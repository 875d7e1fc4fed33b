using Soft.Data;
using Soft.Models;
using Soft.Pipeline;
using Soft.Tests.Models;

namespace Soft.Tests.Pipeline;

/// <summary>Issue #12: samples longer than the model's context are refused by name, or truncated oldest-first by option.</summary>
[Collection(TorchCollection.Name)]
public sealed class ContextLengthCheckTests
{
    public ContextLengthCheckTests() => ModelTestKit.Initialize();

    // stories260K has 512 positions; 900 history items need several thousand.
    private static RecommendationDataset LongHistories(int history = 900)
    {
        var catalog = new ItemCatalog([.. Enumerable.Range(0, 20).Select(i => new CatalogItem(i, $"{i}", $"Band number {i}"))], "code");
        RecommendationSample Sample(string user) => new(user, [.. Enumerable.Range(0, history).Select(i => i % 19)], 19);
        var options = new DatasetOptions { HistoryLength = history };
        return RecommendationDatasetBuilder.FromSamples("long", catalog, [Sample("u0"), new RecommendationSample("short", [1, 2], 3)], [Sample("u1")], [Sample("u2")], RecommendationDomain.Artists, options);
    }

    [Fact]
    public void A_history_longer_than_the_context_is_refused_naming_the_sample_and_the_lengths()
    {
        using var model = ModelTestKit.LoadStories();
        var dataset = LongHistories();
        var template = PromptTemplate.Compact(dataset.Domain);

        var act = () => ContextLengthCheck.Fit(model, dataset, template, new SoftOptions());

        act.Should().Throw<ContextLengthExceededException>()
            .WithMessage("*Train sample 0 (user 'u0', 900 history items)*max_position_embeddings 512*TruncateLongHistories*");
    }

    [Fact]
    public void Truncation_drops_only_the_oldest_items_and_only_as_many_as_needed()
    {
        using var model = ModelTestKit.LoadStories();
        var dataset = LongHistories();
        var template = PromptTemplate.Compact(dataset.Domain);

        var (fitted, _) = ContextLengthCheck.Fit(model, dataset, template, new SoftOptions { TruncateLongHistories = true });

        var sample = fitted.Train[0];
        sample.History.Count.Should().BeInRange(2, 899);
        sample.History.Should().Equal(dataset.Train[0].History.Skip(900 - sample.History.Count));
        fitted.Train[1].Should().BeSameAs(dataset.Train[1], "a sample that fits is kept as it is");
        int Needed(IReadOnlyList<int> history) =>
            model.Tokenizer.Encode(template.RenderPrompt([.. history.Select(i => dataset.Catalog[i].Title)])).Count
            + 2 * model.Tokenizer.Encode(TitleQuoting.Quote("Band number 19"), addBos: false).Count + 2;
        Needed(sample.History).Should().BeLessThanOrEqualTo(512);
        Needed(dataset.Train[0].History.Skip(899 - sample.History.Count).ToArray()).Should().BeGreaterThan(512, "one more item would not fit");
        fitted.Valid[0].History.Should().Equal(sample.History);
        fitted.Test[0].History.Should().Equal(sample.History);
    }

    [Fact]
    public void The_title_cap_cuts_history_titles_but_not_the_target()
    {
        using var model = ModelTestKit.LoadStories();
        var catalog = new ItemCatalog([new CatalogItem(0, "0", "A very long title of many many words indeed"), new CatalogItem(1, "1", "Short")], "code");
        var dataset = RecommendationDatasetBuilder.FromSamples("titles", catalog, [new RecommendationSample("u", [0], 0)], [], [], RecommendationDomain.Artists);
        var template = PromptTemplate.Compact(dataset.Domain);

        var (_, capped) = ContextLengthCheck.Fit(model, dataset, template, new SoftOptions { MaxHistoryTitleTokens = 3 });

        var rendered = capped.Render(dataset.Train[0], catalog);
        rendered.Completion.Should().Be(TitleQuoting.Quote(catalog[0].Title));
        rendered.Prompt.Should().NotContain("many many words");
        string shown = rendered.Prompt.Split('"')[1];
        model.Tokenizer.Encode(shown, addBos: false).Count.Should().BeLessThanOrEqualTo(3);
        catalog[0].Title.Should().StartWith(shown);
    }
}
