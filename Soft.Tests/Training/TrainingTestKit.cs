using Microsoft.Extensions.Options;
using Soft.Data;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>Small real data, options sized for two shared cores, and helpers for the trainer tests.</summary>
internal static class TrainingTestKit
{
    // LastFM training samples rendered with the compact template and 3 history items: prompts of a few dozen tokens.
    private static readonly Lazy<IReadOnlyList<PromptTarget>> LastFm = new(() =>
    {
        var data = EmbeddedDatasets.LastFm(new DatasetOptions { HistoryLength = 3 });
        var template = PromptTemplate.Compact(data.Domain);
        return [.. data.Train.Take(64).Select(s => template.Render(s, data.Catalog)).Select(p => new PromptTarget(p.Prompt, p.Completion))];
    });

    /// <summary>The first <paramref name="count"/> LastFM pairs (at most 64).</summary>
    public static IReadOnlyList<PromptTarget> Pairs(int count) => [.. LastFm.Value.Take(count)];

    /// <summary>
    /// The same prompts with other targets, standing in for a distilled data set: each prompt's target is the next
    /// pair's real target.
    /// </summary>
    public static IReadOnlyList<PromptTarget> Distilled(IReadOnlyList<PromptTarget> real) =>
        [.. real.Select((p, i) => p with { Target = real[(i + 1) % real.Count].Target })];

    /// <summary>
    /// Optimizer steps of 16 pairs; a learning rate large enough to see movement; no warm-up, because a warm-up step
    /// runs at rate 0 (as in Hugging Face) and would waste the few steps these tests take.
    /// </summary>
    public static TrainingOptions Options(int epochs = 2) => new()
    {
        LearningRate = 5e-3,
        WarmupSteps = 0,
        MaxEpochs = epochs,
        MicroBatchSize = 8,
        EffectiveBatchSize = 16,
        EarlyStoppingPatience = 0,
        Lora = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.05 },
        Seed = 11,
    };

    public static CurriculumTrainer Trainer(TrainingOptions options) => new(Microsoft.Extensions.Options.Options.Create(options));

    public static RunFolder Run(TempFolder temp, string name = "run") => RunFolder.Open(temp.Combine(name), "{\"test\":\"training\"}");

    public static byte[] Bytes(RunFolder run, string relative) => File.ReadAllBytes(run.PathOf(relative));

    /// <summary>A progress sink that runs synchronously on the training thread (Progress&lt;T&gt; would post elsewhere).</summary>
    public sealed class Recorder(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
