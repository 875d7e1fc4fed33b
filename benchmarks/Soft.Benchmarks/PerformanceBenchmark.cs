using System.Diagnostics;
using System.Globalization;
using System.Text;
using Soft.Data;
using Soft.Models;
using Soft.Runtime;
using static TorchSharp.torch;

namespace Soft.Benchmarks;

/// <summary>
/// Model-level speed: fp32 matmul peak, training throughput and model-FLOPs utilisation, generation with and
/// without the KV cache, beam-search prompts per second. Every number is a median over repeats taken in this one
/// process, so ratios compare like with like.
/// </summary>
internal static class PerformanceBenchmark
{
    public static string Run(string storiesFolder, int threads, int repeats)
    {
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = threads, Seed = 1 });
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Threads: {env.Threads}; repeats per measurement: {repeats} (median reported); {Environment.ProcessorCount} logical CPUs.");
        md.AppendLine();

        // The peak is the better of two square sizes: small ones undercount (overheads), and a single size can land
        // on an unlucky blocking; MFU above 1 would mean the peak was measured too low.
        double peak1024 = MatmulPeak(1024, 2 * repeats);
        double peak2048 = MatmulPeak(2048, repeats);
        double peak = Math.Max(peak1024, peak2048);
        md.AppendLine(CultureInfo.InvariantCulture, $"fp32 matmul (median): 1024² {peak1024 / 1e9:F1} GFLOP/s, 2048² {peak2048 / 1e9:F1} GFLOP/s; peak used for MFU: **{peak / 1e9:F1} GFLOP/s**");
        md.AppendLine();

        md.AppendLine("| training model | params | batch × seq | step (ms) | tokens/s | model FLOP/s (G) | MFU |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, config, batch, seq) in new[]
        {
            ("LLaMA ~5M (d 256, 6 layers)", Llama(256, 6, 8, 4, 688), 8, 256),
            ("LLaMA ~5M (d 256, 6 layers)", Llama(256, 6, 8, 4, 688), 4, 256),
        })
        {
            var r = TrainingThroughput(config, storiesFolder, batch, seq, repeats);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {r.Params / 1e6:F2} M | {batch} × {seq} | {r.StepSeconds * 1000:F0} | {r.TokensPerSecond:F0} | {r.Flops / 1e9:F1} | **{r.Flops / peak:F2}** |");
        }
        md.AppendLine();

        using var stories = TorchLanguageModel.Load(storiesFolder, new ModelLoadOptions { Device = DevicePreference.Cpu });
        var dataset = EmbeddedDatasets.LastFm();
        var template = PromptTemplate.Compact(RecommendationDomain.Artists);
        var prompts = dataset.Test.Take(8).Select(s => template.Render(s, dataset.Catalog).Prompt).ToList();
        int promptTokens = (int)prompts.Average(p => stories.Tokenizer.Encode(p).Count);

        md.AppendLine(CultureInfo.InvariantCulture, $"Generation on stories260K, LastFM compact prompts (~{promptTokens} tokens), 64 new tokens:");
        md.AppendLine();
        md.AppendLine("| model | decoding | with cache (ms) | without (ms) | new tokens/s with cache | speed-up |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        var greedy = new GenerationOptions { MaxNewTokens = 64, StopTokenIds = [-1] };
        var beam = new GenerationOptions { MaxNewTokens = 64, NumBeams = 4, NumReturnSequences = 1 };
        CompareCache(md, "stories260K", "greedy, 1 prompt", stories, prompts.Take(1).ToList(), greedy, repeats, 64);
        CompareCache(md, "stories260K", "greedy, 8 prompts", stories, prompts, greedy, repeats, 64 * prompts.Count);
        double beamSeconds = CompareCache(md, "stories260K", "beam 4, 8 prompts", stories, prompts, beam, repeats, null);
        using (var larger = TorchLanguageModel.Create(Llama(256, 6, 8, 4, 688), storiesFolder, new ModelLoadOptions { Device = DevicePreference.Cpu }))
        {
            larger.Module.eval();
            CompareCache(md, "LLaMA ~5M (random)", "greedy, 1 prompt", larger, prompts.Take(1).ToList(), greedy, repeats, 64);
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Beam search (4 beams, ≤ 64 new tokens, stop at EOS): **{prompts.Count / beamSeconds:F1} prompts/s** with the cache.");
        return md.ToString();
    }

    private static double CompareCache(StringBuilder md, string model, string what, ILanguageModel lm, List<string> prompts, GenerationOptions options, int repeats, int? newTokens)
    {
        double with = Median(repeats, () => lm.Generate(prompts, options));
        double without = Median(Math.Max(1, repeats / 2), () => lm.Generate(prompts, Clone(options, useCache: false)));
        string rate = newTokens is int t ? (t / with).ToString("F0", CultureInfo.InvariantCulture) : "—";
        md.AppendLine(CultureInfo.InvariantCulture, $"| {model} | {what} | {with * 1000:F0} | {without * 1000:F0} | {rate} | **{without / with:F1}×** |");
        return with;
    }

    private static GenerationOptions Clone(GenerationOptions o, bool useCache) => new()
    {
        MaxNewTokens = o.MaxNewTokens, NumBeams = o.NumBeams, NumReturnSequences = o.NumReturnSequences,
        StopTokenIds = o.StopTokenIds, LengthPenalty = o.LengthPenalty, UseCache = useCache,
    };

    private static LlamaConfig Llama(int hidden, int layers, int heads, int kvHeads, int intermediate) => new()
    {
        ModelType = "llama", VocabSize = 512, Hidden = hidden, IntermediateSize = intermediate, NumHiddenLayers = layers,
        NumAttentionHeads = heads, NumKeyValueHeads = kvHeads, RmsNormEps = 1e-5, TieWordEmbeddings = true,
        MaxPositionEmbeddings = 1024, BosTokenId = 1, EosTokenId = 2,
    };

    private static double MatmulPeak(int n, int repeats)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        double seconds = Median(repeats, () =>
        {
            using var inner = NewDisposeScope();
            a.matmul(b).sum().item<float>();
        });
        return 2.0 * n * n * n / seconds;
    }

    private sealed record Throughput(long Params, double StepSeconds, double TokensPerSecond, double Flops);

    // FLOPs per token follow the PaLM appendix: 6·N for the weight matmuls (forward + backward) plus 12·L·d·T for
    // attention scores and mixing. N counts every weight used in a matmul, including the tied output head.
    private static Throughput TrainingThroughput(LlamaConfig config, string tokenizerFolder, int batch, int seq, int repeats)
    {
        using var model = TorchLanguageModel.Create(config, tokenizerFolder, new ModelLoadOptions { Device = DevicePreference.Cpu });
        long n = model.Module.parameters().Sum(p => p.numel());
        using var optimizer = optim.AdamW(model.Module.parameters(), lr: 1e-4);
        model.Module.train();
        var ids = randint(3, config.VocabSize, [batch, seq]);
        var mask = ones(batch, seq, dtype: ScalarType.Bool);
        void Step()
        {
            using var scope = NewDisposeScope();
            var logits = model.Module.Logits(model.Module.HiddenStates(ids, mask));
            var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, config.VocabSize), ids[.., 1..].reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        Step();
        double seconds = Median(repeats, Step);
        double tokens = (double)batch * seq;
        double flopsPerToken = 6.0 * n + 12.0 * config.NumHiddenLayers * config.Hidden * seq;
        return new Throughput(n, seconds, tokens / seconds, tokens * flopsPerToken / seconds);
    }

    private static double Median(int repeats, Action action)
    {
        action(); // warm-up: allocator, kernels, JIT
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    private static double Median<T>(int repeats, Func<T> action) => Median(repeats, () => { action(); });
}
