using System.Text.Json;
using Soft.Evaluation;
using Soft.Metrics.Exact;
using Soft.Metrics;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Models.Lora;
using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Serving;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Soft.Tests.Serving;

/// <summary>
/// A run with item tokens and LoRA adapters, end to end through <see cref="SoftTrainerBuilder"/>: both stages train
/// the item rows as PEFT trainable tokens, a second run resumes from the folder, and serving loads base model plus
/// adapter and ranks as the run's exact evaluator did.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SoftRecommenderItemTokenLoraTests(TinyItemTokenLoraRun run) : IClassFixture<TinyItemTokenLoraRun>
{
    private const string EmbedKey = "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta";

    [Theory]
    [InlineData("sft")]
    [InlineData("soft")]
    public void Each_stage_trained_the_item_rows_and_saved_them_in_peft_layout(string stage)
    {
        var catalog = run.Dataset.Catalog;
        using var baseModel = TorchLanguageModel.Load(Path.Combine(run.Folder, LanguageModelSource.BuiltFolderName), new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
        int first = ItemTokenVocabulary.FirstId(baseModel.Tokenizer, catalog);
        string adapter = Path.Combine(run.Folder, stage, "best");

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(adapter, LoraAdapter.ConfigFileName)));
        var indices = config.RootElement.GetProperty("trainable_token_indices");
        indices.EnumerateObject().Select(p => p.Name).Should().Equal(["embed_tokens"], "the scratch model ties its head, which PEFT re-ties to these rows");
        indices.GetProperty("embed_tokens").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(Enumerable.Range(first, catalog.Count));

        using var scope = NewDisposeScope();
        var saved = Safetensors.LoadStateDict(Path.Combine(adapter, LoraAdapter.WeightsFileName));
        saved.Keys.Where(k => k.Contains("token_adapter", StringComparison.Ordinal)).Should().Equal(EmbedKey);
        var rows = saved[EmbedKey];
        rows.shape.Should().Equal(catalog.Count, baseModel.Module.InputEmbedding.Weight.shape[1]);
        var before = baseModel.Module.InputEmbedding.Weight.narrow(0, first, catalog.Count);
        rows.sub(before).abs().max().item<float>().Should().BeGreaterThan(0, "the item rows learnt during the stage");
    }

    [Fact]
    public void Serving_loads_base_model_plus_adapter_and_ranks_as_the_runs_exact_evaluator_did()
    {
        var serving = ServingManifest.Read(run.Folder);
        serving.ItemTokens.Should().BeTrue();
        serving.Methods.Where(m => m.Folder is not null).Should().OnlyContain(m => m.Adapter);

        using var recommender = SoftRecommender.Load(run.Folder, new RecommenderOptions { ExcludeHistory = false });
        recommender.ItemTokens.Should().BeTrue();
        var catalog = run.Dataset.Catalog;
        var answers = recommender.RecommendMany(run.TestHistories(), k: catalog.Count);
        run.ShouldRankAsTheRunDid(answers, ReportMethodNames.Soft, EvaluatorNames.Exact);

        // The untuned base model scores otherwise: the adapter, item rows included, was really applied.
        using var untuned = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.GuidanceOnly, ExcludeHistory = false });
        untuned.Recommend(run.TestHistories()[0], 5).Select(r => r.Score).Should().NotEqual(answers[0].Take(5).Select(r => r.Score));
    }

    [Fact]
    public void A_second_run_on_the_finished_folder_reuses_every_stage_with_the_same_numbers()
    {
        var first = SoftRunReport.Load(Path.Combine(run.Folder, SoftRunReport.FileName));
        byte[] adapter = File.ReadAllBytes(Path.Combine(run.Folder, "soft", "best", LoraAdapter.WeightsFileName));

        using var trainer = run.NewTrainer();
        var again = trainer.Run(run.Folder);

        again.Results.Should().BeEquivalentTo(first.Results);
        File.ReadAllBytes(Path.Combine(run.Folder, "soft", "best", LoraAdapter.WeightsFileName)).Should().Equal(adapter);
    }
}
