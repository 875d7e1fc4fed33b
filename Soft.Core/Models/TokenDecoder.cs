using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Greedy and seeded nucleus-sampling decoding of a left-padded batch with a KV cache.</summary>
internal static class TokenDecoder
{
    /// <summary>One continuation per row of <paramref name="prompts"/>: (tokens, sum log-prob, stopped).</summary>
    public static List<(int[] Tokens, double Score, bool Stopped)> Run(
        CausalLMModule module, IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<int> promptIndex, int pad, IReadOnlySet<int> stop,
        GenerationOptions options, Device device, CancellationToken cancellationToken)
    {
        int rows = prompts.Count;
        var generated = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var scores = new double[rows];
        var stopped = new bool[rows];
        var finished = new bool[rows];
        using var session = new DecodingSession(module, options.UseCache);
        using var generator = options.DoSample ? new Generator((ulong)options.Seed, device) : null;
        using var outer = NewDisposeScope();

        Tensor logits;
        using (var prefill = NewDisposeScope())
        {
            var (ids, mask) = TokenBatch.LeftPad(prompts, pad, device);
            logits = session.Prefill(ids, mask).MoveToOuterDisposeScope();
        }
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var logProbs = logits.log_softmax(-1); // (B, V)
            var allowed = AllowedTokenMask.Build(options.AllowedTokens,
                Enumerable.Range(0, rows).Select(r => (promptIndex[r], (IReadOnlyList<int>)generated[r], !finished[r])).ToList(),
                (int)logits.shape[1], device);
            // A row whose hook allowed nothing cannot continue; it ends here (score −∞) instead of yielding NaN.
            bool[] blocked = allowed is null ? new bool[rows] : allowed.max(-1).values.isneginf().cpu().data<bool>().ToArray();
            Tensor chosen;
            if (options.DoSample)
            {
                using var temperature = options.Temperature.ToScalar();
                var scaled = logits.div(temperature);
                if (allowed is not null)
                    scaled = scaled.add(allowed.masked_fill(allowed.isneginf().all(-1, keepdim: true), Scalars.Zero), Scalars.One);
                chosen = multinomial(TopP(scaled.softmax(-1), options.TopP), 1, replacement: false, generator: generator).squeeze(1);
            }
            else
            {
                chosen = (allowed is null ? logProbs : logProbs.add(allowed, Scalars.One)).argmax(-1);
            }
            long[] tokens = chosen.cpu().data<long>().ToArray();
            float[] chosenLogProbs = logProbs.gather(1, chosen.unsqueeze(1)).squeeze(1).cpu().data<float>().ToArray();
            for (int r = 0; r < rows; r++)
            {
                if (!finished[r] && blocked[r])
                {
                    finished[r] = true;
                    scores[r] = double.NegativeInfinity;
                }
                if (finished[r])
                {
                    tokens[r] = pad;
                    continue;
                }
                scores[r] += chosenLogProbs[r];
                if (stop.Contains((int)tokens[r]))
                    stopped[r] = finished[r] = true;
                else
                    generated[r].Add((int)tokens[r]);
            }
            if (finished.All(f => f) || step == options.MaxNewTokens - 1)
                break;
            var next = session.Step(tensor(tokens, device: device)).MoveToOuterDisposeScope();
            logits.Dispose();
            logits = next;
        }
        return Enumerable.Range(0, rows).Select(r => (generated[r].ToArray(), scores[r], stopped[r])).ToList();
    }

    // Keeps the smallest set of most likely tokens whose mass reaches p (always at least the top one).
    private static Tensor TopP(Tensor probs, double p)
    {
        if (p >= 1.0)
            return probs;
        var (sorted, order) = probs.sort(-1, descending: true);
        var before = sorted.cumsum(-1) - sorted; // mass strictly above each token
        using var mass = p.ToScalar();
        var keepSorted = before.lt(mass);
        var keep = zeros_like(keepSorted).scatter(-1, order, keepSorted);
        return probs.masked_fill(keep.logical_not(), Scalars.Zero);
    }
}
