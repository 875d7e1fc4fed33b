using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Left-padded id batches, and the training batch with prompt tokens masked out of the loss.</summary>
internal static class TokenBatch
{
    /// <summary>Label value that cross-entropy ignores.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>(B, L) ids and the (B, L) bool mask, real tokens right-aligned.</summary>
    public static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> sequences, int pad, Device device)
    {
        int batch = sequences.Count;
        int length = Math.Max(1, sequences.Max(s => s.Count));
        var ids = new long[batch * length];
        var mask = new bool[batch * length];
        for (int b = 0; b < batch; b++)
        {
            var seq = sequences[b];
            int offset = length - seq.Count;
            for (int t = 0; t < length; t++)
            {
                ids[b * length + t] = t < offset ? pad : seq[t - offset];
                mask[b * length + t] = t >= offset;
            }
        }
        return (tensor(ids, [batch, length], device: device), tensor(mask, [batch, length], device: device));
    }

    /// <summary>
    /// prompt ids (with the tokenizer's default BOS) followed by target ids and EOS; labels are -100 on the prompt
    /// and on padding, so only target tokens and EOS are scored. Returns the target-token count per row as well.
    /// </summary>
    public static (Tensor Ids, Tensor Mask, Tensor Labels, int[] TargetCounts) ForTraining(ITextTokenizer tokenizer, IReadOnlyList<PromptTarget> pairs, Device device)
    {
        var sequences = new List<IReadOnlyList<int>>(pairs.Count);
        var promptLengths = new int[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            var prompt = tokenizer.Encode(pairs[i].Prompt ?? throw new ArgumentException($"Pair {i} has a null Prompt.", nameof(pairs)));
            var target = tokenizer.Encode(pairs[i].Target ?? throw new ArgumentException($"Pair {i} has a null Target.", nameof(pairs)), addBos: false);
            promptLengths[i] = prompt.Count;
            sequences.Add([.. prompt, .. target, tokenizer.EosTokenId]);
        }
        int batch = pairs.Count;
        int length = sequences.Max(s => s.Count);
        var labels = new long[batch * length];
        var counts = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            int offset = length - sequences[b].Count;
            for (int t = 0; t < length; t++)
            {
                int inSequence = t - offset;
                bool scored = inSequence >= promptLengths[b];
                labels[b * length + t] = scored ? sequences[b][inSequence] : IgnoreIndex;
                if (scored)
                    counts[b]++;
            }
        }
        var (ids, mask) = LeftPad(sequences, tokenizer.PadTokenId, device);
        return (ids, mask, tensor(labels, [batch, length], device: device), counts);
    }
}
