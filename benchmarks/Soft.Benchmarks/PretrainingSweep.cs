using System.Diagnostics;
using System.Globalization;
using System.Text;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Models.Scratch;
using Soft.Pipeline;
using Soft.Runtime;

namespace Soft.Benchmarks;

/// <summary>
/// Chooses the CPU preset's item-token base model by measurement: for each model shape, pre-trains on a dataset's
/// training sequences (item tokens, early stopping on validation NDCG@10) and reports the validation curve, the
/// best step and the wall time per step. Usage:
/// <c>pretraining [--datasets lastfm,ml-100k] [--shapes 64x2,96x4] [--seed 1] [--steps 3000] [--every 100] [--lr 3e-3] [--threads 2]</c>.
/// </summary>
internal static class PretrainingSweep
{
    public static int Run(Func<string, string?> option, string shared)
    {
        var datasets = (option("--datasets") ?? "lastfm").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var shapes = (option("--shapes") ?? "64x2,96x4").Split(',', StringSplitOptions.RemoveEmptyEntries);
        long seed = long.Parse(option("--seed") ?? "1", CultureInfo.InvariantCulture);
        int threads = int.Parse(option("--threads") ?? "2", CultureInfo.InvariantCulture);
        string movieLens = option("--ml-100k") ?? Path.Combine(shared, "datasets", "ml-100k");
        var md = new StringBuilder("| dataset | shape | parameters | best step | best validation NDCG@10 | steps run | s/step | curve (step: NDCG@10) |\n|---|---|---:|---:|---:|---:|---:|---|\n");
        foreach (string name in datasets)
        {
            var data = new DatasetOptions { Seed = seed, TrainSubset = 4096, ValidSubset = 512, TestSubset = 1000 };
            var dataset = name == "lastfm" ? EmbeddedDatasets.LastFm(data) : MovieLensReader.Load(movieLens, data);
            var template = PromptTemplate.Compact(dataset.Domain).WithItemTokens();
            foreach (string text in shapes)
            {
                SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = threads, Seed = seed });
                var shape = Shape(text);
                shape.Seed = SoftRandom.DeriveSeed(seed, "base-model-init");
                var pretraining = SoftPresets.CpuPretraining();
                pretraining.Steps = int.Parse(option("--steps") ?? pretraining.Steps.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                pretraining.EvaluationInterval = int.Parse(option("--every") ?? pretraining.EvaluationInterval.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                pretraining.LearningRate = double.Parse(option("--lr") ?? pretraining.LearningRate.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                pretraining.Seed = SoftRandom.DeriveSeed(seed, "base-model-pretraining");
                string folder = Path.Combine(Path.GetTempPath(), $"soft-pretraining-{name}-{text}-{Guid.NewGuid():N}");
                var clock = Stopwatch.StartNew();
                var result = ScratchBaseModel.Build(folder, dataset, template, shape, pretraining, new Progress<PretrainingProgress>(p =>
                {
                    if (p.Validation is double v)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} {text} step {p.Step}: loss {p.Loss:F3}, validation NDCG@10 {v:F4}, {clock.Elapsed.TotalSeconds:F0} s"));
                }), validationSamples: 512);
                int vocabulary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json"))).RootElement.GetProperty("vocab_size").GetInt32();
                long parameters = shape.ParameterCount(vocabulary);
                var best = result.Validations.MaxBy(v => v.Metric);
                string curve = string.Join(", ", result.Validations.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Step}: {v.Metric:F3}")));
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {text} | {parameters:N0} | {result.BestStep} | {best.Metric:F4} | {result.Losses.Count} | {result.SecondsPerStep:F2} | {curve} |\n");
                Directory.Delete(folder, recursive: true);
            }
        }
        Console.WriteLine(md.ToString());
        return 0;
    }

    // "64x2": 64 wide, 2 layers, 4 heads (2 KV), SwiGLU 4 × width.
    private static ScratchModelOptions Shape(string text)
    {
        var parts = text.Split('x');
        int width = int.Parse(parts[0], CultureInfo.InvariantCulture), layers = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return new ScratchModelOptions { HiddenSize = width, Layers = layers, Heads = 4, KeyValueHeads = 2, IntermediateSize = 4 * width, MaxPositions = 512 };
    }
}
