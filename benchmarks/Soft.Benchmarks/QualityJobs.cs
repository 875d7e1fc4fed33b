using System.Diagnostics;
using System.Globalization;

namespace Soft.Benchmarks;

/// <summary>
/// <c>quality --jobs N</c>: the benchmark's (dataset, base model, seed) parts as child processes of one libtorch
/// thread each, at most N at a time, the dearest first; each child resumes its run folder as a single-process run would
/// and writes its output to <c>OUT/logs/DATASET-BASEMODEL-seed-SEED.log</c>. On a 2-core machine two one-thread
/// processes do about twice the work of one two-thread process with these small models. A part is one seed, not one
/// dataset, so that the dearest dataset's seeds share the cores rather than setting the wall time in one child.
/// </summary>
internal static class QualityJobs
{
    // Options a child gets its own value of, or must not see.
    private static readonly string[] Replaced = ["--datasets", "--base-models", "--seeds", "--jobs", "--threads", "--json", "--doc"];

    public static void Run(QualitySettings settings, IReadOnlyList<string> args, Stopwatch clock)
    {
        var parts = Parts(settings);
        string logs = Path.Combine(settings.Out, "logs");
        Directory.CreateDirectory(logs);
        using var slots = new SemaphoreSlim(settings.Jobs);
        var failures = new List<string>();
        var tasks = parts.Select(async part =>
        {
            await slots.WaitAsync();
            try
            {
                string log = Path.Combine(logs, part.Name + ".log");
                Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] started {part} (log: {log})");
                int code = await RunChild(ChildArguments(args, settings, part), log);
                Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] finished {part}: exit code {code}");
                if (code != 0)
                {
                    lock (failures)
                        failures.Add($"{part} (exit code {code}; see {log})");
                }
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        Task.WaitAll(tasks);
        if (failures.Count > 0)
            throw new InvalidOperationException($"Quality benchmark parts failed: {string.Join("; ", failures)}. Finished runs are kept; rerun the same command to resume.");
    }

    // Dearest first (items: every method and SASRec; titles: trie scoring; then the datasets in the order given), so
    // the longest parts start at once and the short ones fill the cores at the end.
    internal static List<Part> Parts(QualitySettings settings) => settings.BaseModels
        .OrderBy(b => b == QualityBaseModels.Items ? 0 : b == QualityBaseModels.Titles ? 1 : 2)
        .SelectMany(b => settings.Datasets.SelectMany(d => QualityBenchmark.SeedsOf(settings, b).Select(s => new Part(d, b, s))))
        .ToList();

    /// <summary>One child's share of the benchmark: one dataset, base model and seed.</summary>
    internal sealed record Part(string Dataset, string BaseModel, long Seed)
    {
        public string Name => $"{Dataset}-{BaseModel}-seed-{Seed.ToString(CultureInfo.InvariantCulture)}";

        public override string ToString() => $"{Dataset}, {BaseModel}, seed {Seed.ToString(CultureInfo.InvariantCulture)}";
    }

    internal static List<string> ChildArguments(IReadOnlyList<string> args, QualitySettings settings, Part part)
    {
        var child = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (Replaced.Contains(args[i]))
            {
                i++;
                continue;
            }
            child.Add(args[i]);
        }
        child.AddRange(["--datasets", part.Dataset, "--base-models", part.BaseModel, "--seeds", part.Seed.ToString(CultureInfo.InvariantCulture),
            "--threads", "1", "--json", Path.Combine(settings.Out, "logs", part.Name + ".json")]);
        return child;
    }

    // The same program, verb quality, for one part.
    private static async Task<int> RunChild(IReadOnlyList<string> arguments, string log)
    {
        var start = ChildProcess.Of(arguments);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        // Flushed per line, so that the log can be followed while the part runs.
        await using var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        async Task Copy(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (writer)
                    writer.WriteLine(line);
            }
        }
        await Task.WhenAll(Copy(child.StandardOutput), Copy(child.StandardError), child.WaitForExitAsync());
        return child.ExitCode;
    }
}
