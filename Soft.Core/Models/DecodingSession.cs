using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// One incremental decoding run: prefill a left-padded batch once, then feed one token per row and step,
/// with the KV cache and the padding mask kept in step (and reordered together for beam search).
/// </summary>
internal sealed class DecodingSession : IDisposable
{
    private readonly CausalLMModule _module;
    private readonly KvCache _cache;
    private Tensor? _padding;

    public DecodingSession(CausalLMModule module)
    {
        _module = module;
        _cache = new KvCache(module.LayerCount);
    }

    /// <summary>Runs the prompts (B, T) and returns the fp32 next-token logits (B, V) of each row's last position.</summary>
    public Tensor Prefill(Tensor inputIds, Tensor padding)
    {
        Replace(padding.to(ScalarType.Bool).clone());
        var hidden = _module.Forward(inputIds, _padding!, _cache); // (B, T, D)
        return _module.Logits(hidden.select(1, -1)).to(ScalarType.Float32);
    }

    /// <summary>Feeds one token per row (N) and returns the fp32 next-token logits (N, V).</summary>
    public Tensor Step(Tensor tokens)
    {
        long rows = tokens.shape[0];
        Replace(cat([_padding!, ones(rows, 1, dtype: ScalarType.Bool, device: _padding!.device)], 1));
        var hidden = _module.Forward(tokens.view(rows, 1), _padding!, _cache); // (N, 1, D)
        return _module.Logits(hidden.select(1, -1)).to(ScalarType.Float32);
    }

    /// <summary>Row i of the state becomes old row <paramref name="rows"/>[i] (batch expansion, beam parents).</summary>
    public void Reorder(Tensor rows)
    {
        _cache.Reorder(rows);
        Replace(_padding!.index_select(0, rows));
    }

    public void Dispose()
    {
        _cache.Dispose();
        _padding?.Dispose();
    }

    private void Replace(Tensor padding)
    {
        padding.DetachFromDisposeScope();
        _padding?.Dispose();
        _padding = padding;
    }
}
