using System.Diagnostics;
using System.Globalization;
using Soft.Curriculum;
using Soft.Data;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Runs;
using Soft.Runtime;
using Soft.Training;
using TorchSharp;

namespace Soft.Benchmarks;

/// <summary>
/// Trains stories260K with a LoRA adapter on LastFM compact prompts through the real training loop (λ = 0.5, so
/// both losses run; epoch ends checkpoint into a run folder) and samples resident memory every few optimizer steps.
/// Fails when memory after the warm-up grows by more than the tolerance (issue #7).
/// </summary>
internal static class MemorySoak
{
    // Pairs per optimizer step and the epoch length: 800 pairs / 16 = 50 steps, so epoch ends (checkpoint, reload of
    // the best epoch) fall on the sampling grid and are part of what is measured.
    private const int StepPairs = 16;
    private const int Pairs = 800;

    /// <summary>Runs the soak; returns the process exit code (0 when memory stayed within the tolerance).</summary>
    public static int Run(string storiesFolder, int threads, int steps, int every, int warmup, double toleranceMiB)
    {
        if (steps < warmup + 2 * every)
            throw new ArgumentOutOfRangeException(nameof(steps), $"--steps ({steps}) must exceed --warmup ({warmup}) by at least two sample intervals ({every}).");
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = threads, Seed = 1 });
        var data = EmbeddedDatasets.LastFm(new DatasetOptions { HistoryLength = 3, TrainSubset = Pairs });
        var template = PromptTemplate.Compact(data.Domain);
        var real = data.Train.Take(Pairs).Select(s => template.Render(s, data.Catalog)).Select(p => new PromptTarget(p.Prompt, p.Completion)).ToList();
        // Stand-in for D̂: the same prompts with the next pair's target, so the distilled loss is a real second pass.
        var distilled = real.Select((p, i) => p with { Target = real[(i + 1) % real.Count].Target }).ToList();
        int stepsPerEpoch = (real.Count + StepPairs - 1) / StepPairs;
        var options = new TrainingOptions
        {
            LearningRate = 1e-3,
            WarmupSteps = 0,
            MaxEpochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch,
            MicroBatchSize = 8,
            EffectiveBatchSize = StepPairs,
            EarlyStoppingPatience = 0,
            Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05 },
            Seed = 5,
        };

        string folder = Path.Combine(Path.GetTempPath(), "soft-soak-" + Guid.NewGuid().ToString("N"));
        var samples = new List<(long Step, long RssBytes, long LiveTensors)>();
        var clock = Stopwatch.StartNew();
        // Printed as taken, so that a long soak shows its progress and a killed one still leaves its series.
        void Sample(long step)
        {
            var sample = (step, PeakMemory.GetResidentBytes(), DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            samples.Add(sample);
            Console.WriteLine(FormattableString.Invariant($"| {step} | {Mib(sample.Item2):F1} | {sample.Item3} | {clock.Elapsed.TotalSeconds:F0} |"));
        }
        try
        {
            using var model = TorchLanguageModel.Load(storiesFolder, new ModelLoadOptions { Device = DevicePreference.Cpu });
            Console.WriteLine(FormattableString.Invariant($"Memory soak: stories260K + LoRA r8, LastFM compact prompts, {real.Count} pairs, {StepPairs} pairs/step, λ = 0.5, {options.MaxEpochs} epochs"));
            Console.WriteLine();
            Console.WriteLine("| step | RSS (MiB) | live tensors | seconds |");
            Console.WriteLine("|---:|---:|---:|---:|");
            Sample(0);
            var trainer = new CurriculumTrainer(Microsoft.Extensions.Options.Options.Create(options));
            trainer.Train(new TrainingJob
            {
                Model = model,
                RealPairs = real,
                DistilledPairs = distilled,
                Scheduler = new HalfLambda(),
                RunFolder = RunFolder.Open(folder, "{\"soak\":true}"),
                Stage = "soak",
            }, new Sampler(p =>
            {
                if (p.Step % every == 0 && p.Step <= steps)
                    Sample(p.Step);
            }));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        clock.Stop();

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"threads {env.Threads}, {Environment.ProcessorCount} logical CPUs, {steps} steps planned, {samples[^1].Step} run, wall {clock.Elapsed.TotalSeconds:F0} s"));

        var after = samples.Where(s => s.Step >= warmup).ToList();
        double first = Mib(after[0].RssBytes), last = Mib(after[^1].RssBytes);
        double median = Median(after.Select(s => Mib(s.RssBytes)));
        // RSS on the plateau jitters by several MiB from sample to sample (the allocator hands pages back and takes
        // them again; a single low sample right after the warm-up made a 200-step run look like 20 MiB of growth).
        // A leak raises the whole plateau, so the highest sample of the second half is compared with the highest of
        // the first half.
        long middle = (after[0].Step + after[^1].Step) / 2;
        double firstHalfMax = after.Where(s => s.Step <= middle).Max(s => Mib(s.RssBytes));
        double secondHalfMax = after.Where(s => s.Step >= middle).Max(s => Mib(s.RssBytes));
        double growth = secondHalfMax - firstHalfMax;
        Console.WriteLine(FormattableString.Invariant(
            $"From step {after[0].Step}: first {first:F1} MiB, median {median:F1} MiB, last {last:F1} MiB; highest in steps {after[0].Step}-{middle} {firstHalfMax:F1} MiB, in steps {middle}-{after[^1].Step} {secondHalfMax:F1} MiB; growth {growth:F1} MiB ({100 * growth / firstHalfMax:F1} %), tolerance {toleranceMiB:F1} MiB"));
        bool liveFlat = after.All(s => s.LiveTensors == after[0].LiveTensors);
        Console.WriteLine(liveFlat
            ? FormattableString.Invariant($"Live tensors constant at {after[0].LiveTensors} from step {after[0].Step}.")
            : "Live tensors changed after the warm-up: " + string.Join(", ", after.Select(s => s.LiveTensors)));
        bool ok = growth <= toleranceMiB && liveFlat;
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class HalfLambda : ICurriculumScheduler
    {
        public bool RequiresDistance => false;

        public double NextLambda(CurriculumHistory history) => 0.5;
    }

    // Runs on the training thread, so the live-tensor statistics read are those of the training loop.
    private sealed class Sampler(Action<TrainingProgress> onStep) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onStep(value);
    }
}
