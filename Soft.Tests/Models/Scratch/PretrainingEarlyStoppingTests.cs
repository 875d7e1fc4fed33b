using Soft.Data;
using Soft.Models;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Tests.Evaluation;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Scratch;

/// <summary>
/// Early stopping of pre-training: validation every N steps, a stop after the patience runs out, and the best
/// validation's weights kept; with item tokens the base model is validated on next-item NDCG@10 and one run seed
/// changes it.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PretrainingEarlyStoppingTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };

    public PretrainingEarlyStoppingTests() => ModelTestKit.Initialize();

    [Fact]
    public void Stops_after_the_patience_and_restores_the_best_validations_weights()
    {
        var tokenizer = ScratchModelBuilderTests.SmallTokenizer(out var titles);
        using var folder = new TempFolder();
        using var model = ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        var options = new CatalogPretrainingOptions { Steps = 40, BatchSize = 8, WarmupSteps = 2, LearningRate = 1e-2, MaxSequenceLength = 32, EvaluationInterval = 4, EarlyStoppingPatience = 2 };
        // A scripted metric: best at the 2nd validation (step 8), worse after, so training stops at the 4th (step 16).
        double[] script = [0.1, 0.5, 0.3, 0.2, 0.9];
        int calls = 0;
        float[]? atBest = null;
        double Validate(TorchLanguageModel m)
        {
            double value = script[calls++];
            if (calls == 2)
                atBest = Weights(m);
            return value;
        }

        var result = new CatalogPretrainer(options).Train(model, titles, validate: Validate);

        calls.Should().Be(4);
        result.Losses.Should().HaveCount(16);
        result.Validations.Select(v => v.Step).Should().Equal(4, 8, 12, 16);
        result.BestStep.Should().Be(8);
        Weights(model).Should().Equal(atBest);
        model.Module.training.Should().BeFalse();
    }

    [Fact]
    public void Item_token_base_model_validates_next_item_ndcg_and_records_it_and_the_run_seed_changes_it()
    {
        var catalog = EvaluationData.LastFmCatalog(40);
        var random = new Random(3);
        var sequences = Enumerable.Range(0, 30).Select(_ => (IReadOnlyList<int>)[.. Enumerable.Range(0, 8).Select(_ => random.Next(catalog.Count))]).ToList();
        var samples = sequences.Select((s, u) => new RecommendationSample($"u{u}", [.. s.Take(7)], s[7])).ToList();
        var dataset = new RecommendationDataset("toy", RecommendationDomain.Artists, catalog, samples, samples, samples, null, 7, SplitProtocol.Predefined, sequences);
        var template = EvaluationData.Template.WithItemTokens();
        var pretraining = new CatalogPretrainingOptions { Steps = 12, BatchSize = 8, WarmupSteps = 1, MaxSequenceLength = 16, EvaluationInterval = 4, EarlyStoppingPatience = 5 };

        using var a = new TempFolder();
        var result = ScratchBaseModel.Build(a.Path, dataset, template, ScratchModelOptions.Tiny, pretraining, validationSamples: 16);
        result.Validations.Select(v => v.Step).Should().Equal(4, 8, 12);
        result.Validations.Should().OnlyContain(v => v.Metric >= 0 && v.Metric <= 1);
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(a.Path, ScratchBaseModel.SummaryFileName))).RootElement;
        summary.GetProperty("validations").GetArrayLength().Should().Be(3);
        summary.GetProperty("bestStep").GetInt32().Should().Be(result.BestStep);

        using var b = new TempFolder();
        ScratchBaseModel.Build(b.Path, dataset, template, ScratchModelOptions.Tiny, pretraining, validationSamples: 16);
        File.ReadAllBytes(Path.Combine(b.Path, "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(a.Path, "model.safetensors")), "same options, same bytes");

        using var c = new TempFolder();
        var shape = ScratchModelOptions.Tiny;
        shape.Seed = Soft.Runtime.SoftRandom.DeriveSeed(2, "base-model-init");
        ScratchBaseModel.Build(c.Path, dataset, template, shape, pretraining, validationSamples: 16);
        File.ReadAllBytes(Path.Combine(c.Path, "model.safetensors")).Should().NotEqual(File.ReadAllBytes(Path.Combine(a.Path, "model.safetensors")), "another seed, another model");
    }

    private static float[] Weights(TorchLanguageModel model)
    {
        using var noGrad = no_grad();
        return model.Module.parameters().First().detach().clone().data<float>().ToArray();
    }
}
