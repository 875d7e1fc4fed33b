using System.Text.Json;
using Soft.Curriculum;
using Soft.Data;
using Soft.Distillation;
using Soft.Metrics;
using Soft.IO;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Pipeline;
using Soft.Runtime;
using Soft.Serving;

namespace Soft.Benchmarks;

/// <summary>
/// Reference outputs of a finished run's saved models for <c>scripts/hf-check.py</c>, which opens the same folders
/// outside Soft (transformers + PEFT where installed, otherwise its own PyTorch reading of the Hugging Face formats)
/// and compares: for each served method, the model folder and adapter folder serving would load, a few test-like
/// prompts with the ids Soft's tokenizer gives them, and the log-probabilities of every vocabulary id after each
/// prompt; plus every item's token and id.
/// </summary>
internal static class HfReference
{
    /// <summary>
    /// Trains a small run whose folders exercise every format at once into <paramref name="runFolder"/>: the pretrained
    /// stories260K (sentencepiece tokenizer) with one added token per LastFM item, SFT and SOFT as LoRA adapters
    /// (q_proj, v_proj, rank 8) that also train the item rows (PEFT's trainable tokens); lr 1e-3 without warm-up, so
    /// that the adapters move the log-probabilities far more than the check's tolerance. Resumes like any run.
    /// </summary>
    public static void TrainLoraRun(string runFolder, string storiesFolder, int threads)
    {
        using var trainer = new SoftTrainerBuilder()
            .UsePreset(SoftPresets.CpuName)
            .Configure(o =>
            {
                o.Seed = 7;
                o.Threads = threads;
                o.ValidationSamples = 16;
                o.DistanceSamples = 16;
                foreach (var stage in new[] { o.Sft, o.Soft })
                {
                    stage.MaxEpochs = 1;
                    stage.WarmupSteps = 0;
                    stage.Lora = new LoraOptions { Rank = 8, Alpha = 16, TargetModules = ["q_proj", "v_proj"] };
                }
            })
            .UseLanguageModel(storiesFolder, new ModelLoadOptions())
            .UseDataset(() => EmbeddedDatasets.LastFm(new DatasetOptions { TrainSubset = 256, ValidSubset = 32, TestSubset = 32 }))
            .UseFixedCurriculum(0.5)
            .UseBeamSelfDistiller()
            .AddExactScoringEvaluator()
            .Build();
        trainer.Run(runFolder);
    }

    public static int Run(string runFolder, string output, int promptCount)
    {
        var manifest = ServingManifest.Read(runFolder);
        var (catalog, _) = CatalogFile.Read(Path.Combine(runFolder, CatalogFile.FileName));
        var template = manifest.ToTemplate();
        var methods = new List<object>();
        int[]? itemIds = null;
        // Histories of consecutive catalogue items, the template's own rendering: what serving would score.
        var prompts = Enumerable.Range(0, promptCount)
            .Select(p => template.Render(new RecommendationSample($"reference-{p}", [.. Enumerable.Range(p * 7, manifest.HistoryLength).Select(i => i % catalog.Count)], 0), catalog).Prompt)
            .ToList();
        foreach (var method in manifest.Methods)
        {
            // As serving resolves them: a stage's own full weights, or the base model plus the stage's adapter.
            var (modelFolder, adapterFolder) = SoftRecommender.Folders(runFolder, manifest, method);
            using var model = TorchLanguageModel.Load(modelFolder, new ModelLoadOptions { Device = DevicePreference.Cpu });
            if (adapterFolder is not null)
                LoraAdapter.Load(model.Module, adapterFolder);
            var logProbabilities = model.NextTokenLogProbabilities(prompts, 0, model.Config.VocabSize);
            if (template.ItemTokens)
                itemIds ??= [.. Enumerable.Range(0, catalog.Count).Select(i => Single(model.Tokenizer.Encode(template.ItemText(i, catalog), addBos: false), catalog[i].Title))];
            // Materialised here: the model is disposed before the JSON is written.
            methods.Add(new
            {
                method = method.Name,
                model = Path.GetFullPath(modelFolder),
                adapter = adapterFolder is null ? null : Path.GetFullPath(adapterFolder),
                prompts = prompts.Select((text, p) => new
                {
                    text,
                    ids = model.Tokenizer.Encode(text),
                    logProbabilities = logProbabilities[p],
                }).ToList(),
            });
            Console.WriteLine($"{method.Name}: {modelFolder}{(adapterFolder is null ? "" : " + " + adapterFolder)}");
        }
        var items = itemIds is null ? null : catalog.Items.Select((item, i) => new { token = template.ItemText(i, catalog), id = itemIds[i] });
        AtomicFile.WriteAllText(output, JsonSerializer.Serialize(new { run = Path.GetFullPath(runFolder), itemTokens = template.ItemTokens, items, methods }));
        Console.WriteLine($"Reference outputs: {output}");
        return 0;
    }

    private static int Single(IReadOnlyList<int> ids, string title) =>
        ids.Count == 1 ? ids[0] : throw new InvalidDataException($"The item token of '{title}' encodes to {ids.Count} ids, not one.");
}
