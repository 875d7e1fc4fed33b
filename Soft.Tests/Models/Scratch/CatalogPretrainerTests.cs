using Soft.Data;
using Soft.Models;
using Soft.Models.Scratch;

namespace Soft.Tests.Models.Scratch;

/// <summary>Pre-training on catalogue titles lowers their loss, is deterministic, reports progress and saves a loadable folder.</summary>
[Collection(TorchCollection.Name)]
public sealed class CatalogPretrainerTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };

    private static CatalogPretrainingOptions Short => new() { Steps = 20, BatchSize = 16, WarmupSteps = 2, LearningRate = 1e-2, MaxSequenceLength = 32 };

    public CatalogPretrainerTests() => ModelTestKit.Initialize();

    [Fact]
    public void A_short_run_lowers_the_loss_and_raises_the_likelihood_of_real_titles()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles);
        using var folder = new TempFolder();
        using var model = ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        var scored = titles.Select(t => new PromptTarget("", t)).ToList();
        double before = model.LogLikelihood(scored).Average();
        double lossBefore = model.Loss(scored);

        var result = new CatalogPretrainer(Short).Train(model, titles);

        double after = model.LogLikelihood(scored).Average();
        double lossAfter = model.Loss(scored);
        Console.WriteLine($"titles: {titles.Count}, windows {result.Sequences}, tokens {result.Tokens}; loss {lossBefore:F3} -> {lossAfter:F3}; " +
            $"mean log-likelihood {before:F2} -> {after:F2}; {result.SecondsPerStep * 1000:F0} ms/step; trace {string.Join(" ", result.Losses.Select(l => l.ToString("F2")))}");
        result.Losses.Should().HaveCount(20).And.OnlyContain(l => double.IsFinite(l));
        result.Losses.TakeLast(5).Average().Should().BeLessThan(result.Losses.Take(5).Average() - 0.2);
        lossAfter.Should().BeLessThan(lossBefore - 0.5);
        after.Should().BeGreaterThan(before);
        model.Module.training.Should().BeFalse();
    }

    [Fact]
    public void Same_seed_gives_the_same_loss_trace()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles, 120);
        var options = Short;
        options.Steps = 8;
        double[] Run()
        {
            using var folder = new TempFolder();
            using var model = ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
            return [.. new CatalogPretrainer(options).Train(model, titles).Losses];
        }
        var first = Run();
        var second = Run();
        second.Should().Equal(first);
        options.Seed = 7;
        Run().Should().NotEqual(first, "another seed shuffles the titles differently");
    }

    [Fact]
    public void Progress_is_reported_every_step_and_the_saved_folder_loads_with_the_trained_weights()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles, 60);
        using var initial = new TempFolder();
        using var trained = new TempFolder();
        using var model = ScratchModelBuilder.Build(initial.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        var reports = new List<PretrainingProgress>();
        var options = Short;
        options.Steps = 5;
        var result = new CatalogPretrainer(options).Train(model, titles, trained.Path, new SynchronousProgress(reports.Add));

        reports.Select(r => r.Step).Should().Equal(1, 2, 3, 4, 5);
        reports.Select(r => r.Loss).Should().Equal(result.Losses);
        reports[0].LearningRate.Should().BeApproximately(options.LearningRate / 2, 1e-12, "warm-up step 1 of 2");
        reports[1].LearningRate.Should().BeApproximately(options.LearningRate, 1e-12);
        reports[^1].LearningRate.Should().BeApproximately(options.LearningRate * options.MinLearningRateRatio, 1e-12);
        using var loaded = TorchLanguageModel.Load(trained.Path, Cpu);
        var probe = new List<PromptTarget> { new("", titles[0]) };
        loaded.LogLikelihood(probe).Should().Equal(model.LogLikelihood(probe));
        using var untrained = TorchLanguageModel.Load(initial.Path, Cpu);
        untrained.LogLikelihood(probe).Should().NotEqual(model.LogLikelihood(probe));
        Directory.GetFiles(trained.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Cancellation_stops_before_a_step_and_saves_nothing()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles, 20);
        using var initial = new TempFolder();
        using var output = new TempFolder();
        using var model = ScratchModelBuilder.Build(initial.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var train = () => new CatalogPretrainer(Short).Train(model, titles, output.Path, cancellationToken: cancel.Token);
        train.Should().Throw<OperationCanceledException>();
        Directory.GetFiles(output.Path).Should().BeEmpty();
    }

    [Fact]
    public void Long_texts_are_cut_into_windows_that_share_one_token_and_keep_every_transition()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles, 50);
        using var folder = new TempFolder();
        using var model = ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        string text = string.Join(", ", titles.Take(10).Select(TitleQuoting.Quote));
        int[] ids = [1, .. model.Tokenizer.Encode(text, addBos: false), 2];
        var windows = new CatalogPretrainer(new CatalogPretrainingOptions { MaxSequenceLength = 7 }).Windows(model.Tokenizer, [text], model.Config.VocabSize);

        windows.Should().OnlyContain(w => w.Length <= 7 && w.Length >= 2);
        windows[0][0].Should().Be(1);
        windows[^1][^1].Should().Be(2);
        for (int i = 1; i < windows.Count; i++)
            windows[i][0].Should().Be(windows[i - 1][^1]);
        // Stitching the windows back (dropping each shared first token) gives the sequence exactly.
        windows.Skip(1).Aggregate(windows[0].AsEnumerable(), (all, w) => all.Concat(w.Skip(1))).Should().Equal(ids);
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_each_option()
    {
        var options = new CatalogPretrainingOptions { Steps = 0, BatchSize = 0, LearningRate = -1, WarmupSteps = 5, AdamBeta2 = 1, MaxSequenceLength = 2 };
        var result = new CatalogPretrainingOptionsValidator().Validate(null, options);
        result.Failed.Should().BeTrue();
        foreach (string name in new[] { "Steps", "BatchSize", "LearningRate", "WarmupSteps", "Beta2", "MaxSequenceLength" })
            result.FailureMessage.Should().Contain(name);
        var create = () => new CatalogPretrainer(options);
        create.Should().Throw<ArgumentException>().WithMessage("*BatchSize*");
        new CatalogPretrainingOptionsValidator().Validate(null, new CatalogPretrainingOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Pretraining_texts_hold_titles_metadata_and_only_training_histories()
    {
        var dataset = EmbeddedDatasets.LastFm();
        var titlesOnly = CatalogText.PretrainingTexts(dataset, includeMetadata: false);
        titlesOnly.Should().HaveCount(dataset.Catalog.Count);
        var template = PromptTemplate.Compact(dataset.Domain);
        var withHistories = CatalogText.PretrainingTexts(dataset, includeMetadata: false, includeHistories: true, template: template);
        withHistories.Should().HaveCount(dataset.Catalog.Count + dataset.Train.Count);
        var trainText = withHistories[dataset.Catalog.Count];
        var first = dataset.Prompt(dataset.Train[0], template);
        trainText.Should().Be(first.Prompt + first.Completion);
    }

    private sealed class SynchronousProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}
