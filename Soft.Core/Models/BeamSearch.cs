using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Batched beam search in the manner of Hugging Face: K beams per prompt, 2K candidates per step, a stop token
/// ends a hypothesis only if it ranks among the first K candidates, scores are length-normalised, and the KV
/// cache follows each beam's parent. Ties are broken by (beam, token) index, so results are deterministic.
/// </summary>
internal static class BeamSearch
{
    public static List<List<(int[] Tokens, double Score, bool Stopped)>> Run(
        CausalLMModule module, IReadOnlyList<IReadOnlyList<int>> prompts, int pad, IReadOnlySet<int> stop,
        GenerationOptions options, Device device, CancellationToken cancellationToken)
    {
        int batch = prompts.Count;
        int beams = options.NumBeams;
        int rows = batch * beams;
        var hypotheses = Enumerable.Range(0, batch).Select(_ => new BeamHypotheses(beams, options.LengthPenalty)).ToArray();
        var done = new bool[batch];
        // Only beam 0 is live at first, so step 0 does not expand K identical copies.
        var beamSums = new double[rows];
        var beamTokens = new List<int>[rows];
        for (int r = 0; r < rows; r++)
        {
            beamSums[r] = r % beams == 0 ? 0 : double.NegativeInfinity;
            beamTokens[r] = [];
        }

        using var session = new DecodingSession(module, options.UseCache);
        using var outer = NewDisposeScope();
        Tensor logits;
        using (var prefill = NewDisposeScope())
        {
            var (ids, mask) = TokenBatch.LeftPad(prompts, pad, device);
            var first = session.Prefill(ids, mask);
            var expand = Scalars.Arange(0, batch, ScalarType.Int64, device).repeat_interleave(beams);
            session.Reorder(expand);
            logits = first.index_select(0, expand).MoveToOuterDisposeScope();
        }

        int vocabulary = (int)logits.shape[1];
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var logProbs = logits.log_softmax(-1); // (B·K, V)
            var allowed = AllowedTokenMask.Build(options.AllowedTokens,
                Enumerable.Range(0, rows).Select(r => (r / beams, (IReadOnlyList<int>)beamTokens[r], !done[r / beams] && !double.IsNegativeInfinity(beamSums[r]))).ToList(),
                vocabulary, device);
            if (allowed is not null)
                logProbs = logProbs.add(allowed, Scalars.One);
            var sums = tensor(beamSums.Select(s => (float)s).ToArray(), device: device).unsqueeze(1);
            var candidates = Candidates(logProbs.add(sums, Scalars.One).view(batch, beams * vocabulary), logProbs, 2 * beams, vocabulary, beamSums);

            var parents = new long[rows];
            var next = new long[rows];
            var nextSums = new double[rows];
            var nextTokens = new List<int>[rows];
            for (int b = 0; b < batch; b++)
            {
                int filled = 0;
                if (!done[b])
                {
                    int rank = 0;
                    foreach (var (beam, token, sum) in candidates[b])
                    {
                        int parent = b * beams + beam;
                        if (stop.Contains(token))
                        {
                            // A stop token outside the top K would end a beam that never competed; HF skips it too.
                            if (rank < beams)
                                hypotheses[b].Add([.. beamTokens[parent]], sum, beamTokens[parent].Count + 1, stopped: true);
                        }
                        else
                        {
                            int row = b * beams + filled++;
                            parents[row] = parent;
                            next[row] = token;
                            nextSums[row] = sum;
                            nextTokens[row] = [.. beamTokens[parent], token];
                        }
                        rank++;
                        if (filled == beams)
                            break;
                    }
                    double bestLive = filled > 0 ? nextSums[b * beams] : double.NegativeInfinity;
                    done[b] = filled == 0 || hypotheses[b].IsDone(bestLive, step + 1);
                }
                for (; filled < beams; filled++)
                {
                    // Dead rows keep a slot so the batch stays rectangular; they never win anything.
                    int row = b * beams + filled;
                    parents[row] = b * beams;
                    next[row] = pad;
                    nextSums[row] = double.NegativeInfinity;
                    nextTokens[row] = [];
                }
            }
            beamSums = nextSums;
            beamTokens = nextTokens;
            if (done.All(d => d) || step == options.MaxNewTokens - 1)
                break;
            session.Reorder(tensor(parents, device: device));
            var stepLogits = session.Step(tensor(next, device: device)).MoveToOuterDisposeScope();
            logits.Dispose();
            logits = stepLogits;
        }

        // Beams still alive at the token limit compete with the finished ones.
        for (int b = 0; b < batch; b++)
        {
            if (done[b])
                continue;
            for (int k = 0; k < beams; k++)
            {
                int row = b * beams + k;
                if (!double.IsNegativeInfinity(beamSums[row]))
                    hypotheses[b].Add([.. beamTokens[row]], beamSums[row], beamTokens[row].Count, stopped: false);
            }
        }
        return hypotheses.Select(h => h.Best.Take(options.NumReturnSequences).ToList()).ToList();
    }

    /// <summary>
    /// Per prompt, the best <paramref name="count"/> finite candidates (beam, token, sum) ordered by score, then
    /// by flat index. torch.topk gives the threshold; ties at the threshold are resolved here, not by topk.
    /// </summary>
    private static List<(int Beam, int Token, double Sum)>[] Candidates(Tensor scores, Tensor logProbs, int count, int vocabulary, double[] beamSums)
    {
        long batch = scores.shape[0];
        int take = (int)Math.Min(count, scores.shape[1]);
        var threshold = scores.topk(take, 1).values.select(1, take - 1).unsqueeze(1); // (B, 1)
        var finiteThreshold = threshold.isfinite();
        // With fewer than 2K finite candidates the threshold is −∞: then take every finite one.
        var selected = torch.where(finiteThreshold, scores.ge(threshold), scores.isfinite());
        var picks = selected.nonzero().cpu(); // (n, 2): batch, flat index
        var result = new List<(int, int, double)>[batch];
        for (int b = 0; b < batch; b++)
            result[b] = [];
        if (picks.shape[0] == 0)
            return result; // every beam of every prompt is blocked (TensorAccessor cannot copy an empty tensor)
        long[] flat = picks.data<long>().ToArray();
        int beams = beamSums.Length / (int)batch;
        var rowsOfLogProbs = logProbs.view(batch, beams * vocabulary);
        float[] values = rowsOfLogProbs.masked_select(selected).cpu().data<float>().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            int b = (int)flat[2 * i];
            int index = (int)flat[2 * i + 1];
            int beam = index / vocabulary;
            // Float addition, exactly as the tensor that picked the threshold computed it.
            double sum = (float)beamSums[b * beams + beam] + values[i];
            if (!double.IsNegativeInfinity(sum))
                result[b].Add((beam, index % vocabulary, sum));
        }
        foreach (var list in result)
        {
            list.Sort((x, y) =>
            {
                int byScore = y.Item3.CompareTo(x.Item3);
                return byScore != 0 ? byScore : (x.Item1 * vocabulary + x.Item2).CompareTo(y.Item1 * vocabulary + y.Item2);
            });
            if (list.Count > count)
                list.RemoveRange(count, list.Count - count);
        }
        return result;
    }
}
