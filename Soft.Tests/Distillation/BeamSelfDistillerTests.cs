using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Data;
using Soft.Distillation;
using Soft.Models;
using Soft.Tests.Evaluation;
using Soft.Tests.Models;

namespace Soft.Tests.Distillation;

[Collection(TorchCollection.Name)]
public sealed class BeamSelfDistillerTests : IDisposable
{
    private readonly TorchLanguageModel _model;
    private readonly TempFolder _folder = new();
    private readonly ItemCatalog _catalog = EvaluationData.LastFmCatalog(200);
    private readonly IReadOnlyList<RecommendationSample> _samples;

    public BeamSelfDistillerTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
        _samples = EvaluationData.Samples(_catalog, 10, seed: 11);
    }

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    private static BeamSelfDistillerOptions Options(string? partial = null) =>
        new() { Decoding = { MaxNewTokens = 12 }, BatchSize = 4, PartialResultsPath = partial };

    private DistillationRequest Request(ILanguageModel model, IReadOnlyList<RecommendationSample>? samples = null) => new()
    {
        Model = model,
        Dataset = EvaluationData.Dataset(_catalog, samples ?? _samples),
        Samples = samples ?? _samples,
        Template = EvaluationData.Template,
    };

    [Fact]
    public void With_item_tokens_the_target_and_beams_are_the_most_probable_items_never_an_empty_answer()
    {
        var catalog = EvaluationData.LastFmCatalog(30);
        var template = EvaluationData.Template.WithItemTokens();
        using var model = Soft.Tests.Metrics.ExactScoringEvaluatorTests.ItemModel(_folder.Combine("items"), catalog, template, out _);
        var samples = EvaluationData.Samples(catalog, 6, seed: 3);
        var distiller = new BeamSelfDistiller(new BeamSelfDistillerOptions { BatchSize = 4, SoftLabels = 5 });

        var examples = distiller.Distill(new DistillationRequest { Model = model, Dataset = EvaluationData.Dataset(catalog, samples), Samples = samples, Template = template });

        var prompts = samples.Select(s => template.Render(s, catalog).Prompt).ToList();
        var logProbabilities = model.NextTokenLogProbabilities(prompts, Soft.Models.ItemTokens.ItemTokenVocabulary.FirstId(model.Tokenizer, catalog), catalog.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            int[] order = [.. Enumerable.Range(0, catalog.Count).OrderByDescending(j => logProbabilities[i][j]).ThenBy(j => j)];
            examples[i].DistilledTarget.Should().Be(ItemTokenText.Of(order[0]), $"prompt {i}'s target is its most probable item");
            examples[i].Beams.Should().Equal(order.Take(4).Select(j => TitleQuoting.Quote(catalog[j].Title)), "the beams are the next most probable items, shown as titles");
            examples[i].SoftLabels!.Select(l => l.Item).Should().Equal(order.Take(5));
        }
    }

    [Fact]
    public void One_example_per_prompt_in_order_with_the_top_beam_as_target_and_deterministic()
    {
        var distiller = new BeamSelfDistiller(Options());
        var first = distiller.Distill(Request(_model));
        var second = distiller.Distill(Request(_model));

        first.Should().HaveCount(_samples.Count);
        for (int i = 0; i < _samples.Count; i++)
        {
            var rendered = EvaluationData.Template.Render(_samples[i], _catalog);
            first[i].SampleIndex.Should().Be(i);
            first[i].UserId.Should().Be(_samples[i].UserId);
            first[i].Prompt.Should().Be(rendered.Prompt);
            first[i].RealTarget.Should().Be(rendered.Completion);
            first[i].Beams.Should().HaveCount(4);
            first[i].DistilledTarget.Should().Be(first[i].Beams[0], "the reference keeps the raw top beam");
            first[i].BeamScores.Should().BeInDescendingOrder();
        }
        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());

        var direct = _model.Generate([EvaluationData.Template.Render(_samples[5], _catalog).Prompt],
            new GenerationOptions { NumBeams = 4, NumReturnSequences = 4, MaxNewTokens = 12 })[0];
        first[5].Beams.Should().Equal(direct.Select(b => b.Text), "batching does not change a prompt's beams");
    }

    [Fact]
    public void A_killed_run_resumes_from_the_partial_file_without_redoing_finished_blocks()
    {
        string full = _folder.Combine("full.partial.jsonl");
        var reference = new BeamSelfDistiller(Options(full)).Distill(Request(_model));
        var lines = File.ReadAllLines(full);
        lines.Should().HaveCount(10);

        // As if killed while writing block 1 (samples 4–7): block 0 complete, two lines of block 1, a torn third.
        string partial = _folder.Combine("run", "distilled.partial.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.WriteAllText(partial, string.Concat(lines.Take(6).Select(l => l + "\n")) + lines[6][..20]);
        var counting = new DelegatingLanguageModel(_model);
        var resumed = new BeamSelfDistiller(Options(partial)).Distill(Request(counting));

        resumed.Should().BeEquivalentTo(reference, o => o.WithStrictOrdering());
        var prompts = _samples.Select(s => EvaluationData.Template.Render(s, _catalog).Prompt).ToList();
        counting.GeneratedPrompts.Should().Equal(prompts.Skip(4), "block 0 was complete; blocks 1 and 2 are decoded again whole");

        var again = new DelegatingLanguageModel(_model);
        new BeamSelfDistiller(Options(partial)).Distill(Request(again)).Should().BeEquivalentTo(reference, o => o.WithStrictOrdering());
        again.GeneratedPrompts.Should().BeEmpty("everything is in the partial file now");
    }

    [Fact]
    public void A_partial_file_from_other_samples_is_refused_naming_file_and_line()
    {
        string partial = _folder.Combine("p.jsonl");
        new BeamSelfDistiller(Options(partial)).Distill(Request(_model, _samples.Take(4).ToList()));
        var other = EvaluationData.Samples(_catalog, 4, seed: 99);
        var act = () => new BeamSelfDistiller(Options(partial)).Distill(Request(_model, other));
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(partial).And.Contain("line 1");
    }

    [Fact]
    public void Snapping_replaces_the_answer_by_the_nearest_catalogue_title()
    {
        var options = Options();
        options.SnapToCatalog = true;
        var samples = _samples.Take(3).ToList();
        var snapped = new BeamSelfDistiller(options, groundingEmbedder: _model).Distill(Request(_model, samples));
        var titles = _catalog.Items.Select(i => TitleQuoting.Quote(i.Title)).ToHashSet();
        var table = Soft.Evaluation.ItemEmbeddingTable.Build(_model, _catalog);
        foreach (var example in snapped)
        {
            titles.Should().Contain(example.DistilledTarget);
            int nearest = table.Nearest(_model.Embed([example.Beams[0]])[0]);
            example.DistilledTarget.Should().Be(TitleQuoting.Quote(_catalog[nearest].Title));
        }
        var noEmbedder = () => new BeamSelfDistiller(options);
        noEmbedder.Should().Throw<ArgumentException>().WithMessage("*SnapToCatalog*");
    }

    [Fact]
    public void Cancellation_is_honoured_between_batches()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var act = () => new BeamSelfDistiller(Options()).Distill(Request(_model), cancel.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Registration_validates_options_and_replaces_the_distiller()
    {
        using var provider = new Soft.Pipeline.SoftTrainerBuilder().UseBeamSelfDistiller(o => o.Decoding.NumBeams = 6).Services.BuildServiceProvider();
        var distiller = provider.GetRequiredService<ISelfDistiller>().Should().BeOfType<BeamSelfDistiller>().Subject;
        distiller.Options.Decoding.NumBeams.Should().Be(6);
        distiller.Name.Should().Be("beam");

        using var invalid = new Soft.Pipeline.SoftTrainerBuilder().UseBeamSelfDistiller(o => o.Decoding.NumReturnSequences = 9).Services.BuildServiceProvider();
        var act = () => invalid.GetRequiredService<ISelfDistiller>();
        act.Should().Throw<OptionsValidationException>().WithMessage("*NumReturnSequences*");
    }
}
