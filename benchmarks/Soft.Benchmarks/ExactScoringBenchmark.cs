using System.Diagnostics;
using System.Globalization;
using System.Text;
using Soft.Data;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.Scratch;
using Soft.Runtime;

namespace Soft.Benchmarks;

/// <summary>
/// Cost per prompt of exact title scoring against the catalogue's size: the trie with shared KV caches and batched
/// prompts (<see cref="TitleTrieScorer"/>, what the exact evaluator and serving use) against the previous way, every
/// distinct title's continuation run separately over the prompt's cache repeated
/// (<see cref="ILanguageModel.ContinuationLogLikelihoods"/>), on LastFM's compact prompts (history 10). Catalogues are
/// the first N LastFM artists; medians over repeats, both ways in this one process.
/// </summary>
internal static class ExactScoringBenchmark
{
    public static string Run(string storiesFolder, int threads, int repeats, IReadOnlyList<int> sizes, int promptCount)
    {
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = threads, Seed = 1 });
        var dataset = EmbeddedDatasets.LastFm(new DatasetOptions { HistoryLength = 10 });
        var template = PromptTemplate.Compact(dataset.Domain);
        var prompts = dataset.Test.Take(promptCount).Select(s => template.Render(s, dataset.Catalog).Prompt).ToList();
        var cpu = new ModelLoadOptions { Device = DevicePreference.Cpu };
        string scratchFolder = Path.Combine(Path.GetTempPath(), $"soft-exact-bench-{Guid.NewGuid():N}");
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{env.Threads} libtorch thread(s), {Environment.ProcessorCount} logical CPUs; {prompts.Count} LastFM test prompts (compact template, history 10); median of {repeats} repeats after one warm-up.");
        md.AppendLine();
        md.AppendLine("| model | catalogue | distinct titles | title tokens (EOS incl.) | trie nodes | old ms/prompt | trie ms/prompt | speed-up | max \\|old − trie\\| |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            using var scratch = ScratchModelBuilder.Build(scratchFolder, dataset, ScratchModelOptions.Small, template, cpu);
            using var stories = TorchLanguageModel.Load(storiesFolder, cpu);
            foreach (var (name, model) in new[] { ("stories260K", stories), ("scratch LLaMA 96×4, title tokens", scratch) })
            {
                foreach (int size in sizes)
                {
                    var catalog = new ItemCatalog(dataset.Catalog.Items.Take(Math.Min(size, dataset.Catalog.Count)).Select(i => i with { Index = 0 }), "lastfm-head");
                    md.AppendLine(Measure(name, model, template, catalog, prompts, repeats));
                    Console.Error.WriteLine($"{name}, {catalog.Count} items done");
                }
            }
        }
        finally
        {
            if (Directory.Exists(scratchFolder))
                Directory.Delete(scratchFolder, recursive: true);
        }
        return md.ToString();
    }

    private static string Measure(string name, TorchLanguageModel model, PromptTemplate template, ItemCatalog catalog, List<string> prompts, int repeats)
    {
        var trie = new TitleTrieScorer(model.Tokenizer, template, catalog);
        var distinct = catalog.Items.Select(i => template.ItemText(i.Index, catalog)).Distinct(StringComparer.Ordinal)
            .Select(t => (IReadOnlyList<int>)[.. model.Tokenizer.Encode(t, addBos: false), model.Tokenizer.EosTokenId]).ToList();
        int tokens = distinct.Sum(d => d.Count);

        double[][] Old() => [.. prompts.Select(p => model.ContinuationLogLikelihoods(p, distinct))];
        double[][] New() => trie.Score(model, prompts);

        // The old scores are per distinct title; compare them with the trie's leaf of the same title.
        var old = Old();
        var fresh = New();
        var firstOfTitle = catalog.Items.GroupBy(i => template.ItemText(i.Index, catalog), StringComparer.Ordinal).Select(g => g.First().Index).ToArray();
        double diff = 0;
        for (int p = 0; p < prompts.Count; p++)
        {
            for (int s = 0; s < firstOfTitle.Length; s++)
                diff = Math.Max(diff, Math.Abs(old[p][s] - fresh[p][firstOfTitle[s]]));
        }

        var (oldSeconds, newSeconds) = Medians(Old, New, repeats);
        double oldMs = oldSeconds * 1000 / prompts.Count;
        double newMs = newSeconds * 1000 / prompts.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {catalog.Count:N0} | {distinct.Count:N0} | {tokens:N0} | {trie.Trie.NodeCount - 1:N0} | {oldMs:F1} | {newMs:F1} | **{oldMs / newMs:F1}×** | {diff:E1} |");
    }

    // The two ways alternate within each repeat, so a load that comes and goes on a shared machine hits both alike.
    private static (double Old, double New) Medians(Func<double[][]> old, Func<double[][]> fresh, int repeats)
    {
        var a = new List<double>(repeats);
        var b = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            old();
            a.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            fresh();
            b.Add(watch.Elapsed.TotalSeconds);
        }
        a.Sort();
        b.Sort();
        return (a[a.Count / 2], b[b.Count / 2]);
    }
}
