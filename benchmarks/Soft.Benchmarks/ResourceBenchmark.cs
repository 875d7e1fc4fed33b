using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Soft.IO;

namespace Soft.Benchmarks;

/// <summary>
/// The resource figures of issue #12: peak resident memory of the cpu preset against title length and history
/// length, for both of its models (item tokens, titles). Every configuration runs in a fresh child process
/// (<see cref="ResourceRun"/>), one at a time, so that one configuration's peak cannot hide another's; one row is run
/// again with more steps (<see cref="ResourceGrid.StepsCheckRow"/>) to show that steps do not move the peak; a rule is
/// fitted to the rows.
/// </summary>
internal static class ResourceBenchmark
{
    public static int Run(ResourceGrid grid)
    {
        var clock = Stopwatch.StartNew();
        var configurations = grid.Configurations();
        var loads = new List<double>();
        var results = new List<ResourceResult>();
        for (int i = 0; i < configurations.Count; i++)
            results.Add(RunChild(configurations[i], $"{i + 1}/{configurations.Count}", clock, loads));
        var checkedRow = grid.StepsCheckRow(results);
        var check = checkedRow is null ? null : RunChild(grid.StepsCheck(checkedRow.Configuration), "steps check", clock, loads);
        var rule = PeakMemoryRule.Fit(results);
        string markdown = Markdown(grid, results, checkedRow, check, rule, loads, clock.Elapsed);
        Console.WriteLine(markdown);
        if (grid.Json is { } json)
        {
            AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new { grid.CommandLine, Results = results, Check = check, Rule = rule }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"JSON: {json}");
        }
        if (grid.Doc is { } doc)
        {
            DocumentSection.Resources.Update(doc, markdown);
            Console.WriteLine($"Updated {doc}");
        }
        return 0;
    }

    // The same program, verb memory-run.
    private static ResourceResult RunChild(ResourceConfiguration configuration, string label, Stopwatch clock, List<double> loads)
    {
        var start = ChildProcess.Of(["memory-run", .. configuration.ToArguments()]);
        // The child's errors go to this console as they did, not into a pipe nobody reads.
        start.RedirectStandardError = false;
        loads.Add(LoadAverage());
        Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {label}: {configuration.Model}, titles {configuration.Titles}, history {configuration.History}, cap {Cap(configuration)}, {configuration.Steps} steps");
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        ResourceResult? result = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(ResourceRun.ResultPrefix, StringComparison.Ordinal))
                result = JsonSerializer.Deserialize<ResourceResult>(line[ResourceRun.ResultPrefix.Length..]);
            else
                Console.WriteLine("  " + line);
        }
        child.WaitForExit();
        loads.Add(LoadAverage());
        if (child.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"The child for {label} ({string.Join(' ', configuration.ToArguments())}) exited with code {child.ExitCode}{(result is null ? " without a result" : "")}.");
        Console.WriteLine(FormattableString.Invariant($"  peak {Mib(result.PeakBytes):F0} MiB (set in {result.PeakStage()}), V {result.Vocabulary}, L {result.LongestTrainingTokens}, {result.Seconds:F0} s"));
        return result;
    }

    internal static string Markdown(ResourceGrid grid, IReadOnlyList<ResourceResult> results, ResourceResult? checkedRow, ResourceResult? check, PeakMemoryRule rule, IReadOnlyList<double> loads, TimeSpan wall)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("```bash").AppendLine(grid.CommandLine).AppendLine("```").AppendLine();
        md.AppendLine(c, $"Each row is one fresh child process (`memory-run`), one at a time, {grid.Threads} libtorch thread; peak = its VmHWM when the pipeline finished. Every row runs the cpu preset's whole pipeline on LastFM with the preset's batch sizes, model shape and evaluators (base model built and pre-trained, item table, SFT, D̂ by beam search, SOFT, test evaluation by exact scoring and grounding) but only {grid.Steps} optimizer steps per stage (2 epochs; {results[0].TrainSamples} training samples), {grid.ValidationSamples} validation and {grid.TestSamples} test samples, validation by grounding, and λ fixed at 0.5 (both losses in every SOFT step). Titles other than `lastfm` are LastFM's own, padded with words of other LastFM titles to that many characters.");
        md.AppendLine();
        md.AppendLine(c, $"{Environment.ProcessorCount} logical CPUs, {Mib(TotalMemory()) / 1024:F0} GiB; 1-minute load average {loads.Min():F1}–{loads.Max():F1} over the grid (read before and after each row); {results.Count + (check is null ? 0 : 1)} processes, wall {wall.TotalMinutes:F1} min.");
        md.AppendLine();
        md.AppendLine("| model | titles (chars) | title tokens | history | title cap | V | L (tokens) | L̂ | truncated | peak (MiB) | set in | rule (MiB) | s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in results)
        {
            var k = r.Configuration;
            md.AppendLine(c, $"| {k.Model} | {(k.TitleCharacters is null ? $"lastfm ({r.MeanTitleCharacters:F1})" : $"{r.MeanTitleCharacters:F0}")} | {r.MeanTitleTokens:F1} | {k.History} | {Cap(k)} | {r.Vocabulary:N0} | {r.LongestTrainingTokens} | {r.LongestDistilledTokens} | {r.TruncatedSamples} | **{Mib(r.PeakBytes):F0}** | {r.PeakStage()} | {Mib(rule.Predict(r.Vocabulary, r.LongestTrainingTokens)):F0} | {r.Seconds:F0} |");
        }
        md.AppendLine();
        md.AppendLine("V: the base model's vocabulary (the logits' width). L: the longest training sequence, prompt (with BOS) + target + EOS, after the context check (the preset drops the oldest history items of a sample that does not fit its 512 positions with room for a generated answer; \"truncated\" counts those samples over the three splits). L̂: the longest pair of D̂, prompt + the SFT model's generated answer + EOS. \"set in\": the last stage that raised the peak by 16 MiB or more.");
        md.AppendLine();
        if (check is not null && checkedRow is not null)
        {
            md.AppendLine(c, $"**Steps do not set the peak.** The highest row with titles {checkedRow.Configuration.Titles} (the {checkedRow.Configuration.Model} model, history {checkedRow.Configuration.History}) again with {check.Configuration.Steps} steps instead of {checkedRow.Configuration.Steps} ({check.TrainSamples} training samples, L {check.LongestTrainingTokens}): peak **{Mib(check.PeakBytes):F0} MiB** against {Mib(checkedRow.PeakBytes):F0} MiB ({Mib(check.PeakBytes - checkedRow.PeakBytes):+0;-0;0} MiB), in {check.Seconds:F0} s.");
            md.AppendLine();
        }
        md.AppendLine(c, $"**Rule** (least squares over the {rule.Rows} rows): peak ≈ **{Mib(rule.BaseBytes):F0} MiB + {rule.BytesPerLogit:F1} bytes × V × {PeakMemoryRule.SoftGraphRows} × max({PeakMemoryRule.PretrainingPositions / PeakMemoryRule.SoftGraphRows}, L)**; R² {rule.RSquared:F3}, largest error {Mib(rule.MaxErrorBytes):F0} MiB. V × {PeakMemoryRule.SoftGraphRows} × max({PeakMemoryRule.PretrainingPositions / PeakMemoryRule.SoftGraphRows}, L) counts the logits of the largest step: pre-training's {SoftPresetsText()}, or a SOFT step's two micro-batches of {PeakMemoryRule.SoftGraphRows / 2} (real and distilled loss) of the longest sequence.");
        return md.ToString();
    }

    private static string SoftPresetsText()
    {
        var pretraining = Soft.Pipeline.SoftPresets.CpuPretraining();
        return FormattableString.Invariant($"{pretraining.BatchSize} windows of {pretraining.MaxSequenceLength} tokens");
    }

    private static string Cap(ResourceConfiguration configuration) =>
        configuration.MaxHistoryTitleTokens?.ToString(CultureInfo.InvariantCulture) ?? "—";

    private static double Mib(double bytes) => bytes / (1024.0 * 1024.0);

    // The 1-minute load average, for the record of what else the machine was doing; 0 where /proc is missing.
    private static double LoadAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long TotalMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
