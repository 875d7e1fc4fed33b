using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// One incremental decoding run: prefill a left-padded batch once, then feed one token per row and step,
/// with the KV cache and the padding mask kept in step (and reordered together for beam search). Without a cache
/// it keeps the tokens instead and recomputes every position at each step.
/// </summary>
internal sealed class DecodingSession : IDisposable
{
    private readonly CausalLMModule _module;
    private readonly KvCache? _cache;
    private Tensor? _padding;
    private Tensor? _tokens;

    public DecodingSession(CausalLMModule module, bool useCache = true)
    {
        _module = module;
        _cache = useCache ? new KvCache(module.LayerCount) : null;
    }

    /// <summary>Runs the prompts (B, T) and returns the fp32 next-token logits (B, V) of each row's last position.</summary>
    public Tensor Prefill(Tensor inputIds, Tensor padding)
    {
        Replace(ref _padding, padding.to(ScalarType.Bool).clone());
        if (_cache is null)
            Replace(ref _tokens, inputIds.clone());
        var hidden = _module.Forward(inputIds, _padding!, _cache); // (B, T, D)
        return _module.Logits(hidden.select(1, -1)).to(ScalarType.Float32);
    }

    /// <summary>Feeds one token per row (N) and returns the fp32 next-token logits (N, V).</summary>
    public Tensor Step(Tensor tokens)
    {
        long rows = tokens.shape[0];
        Replace(ref _padding, cat([_padding!, ones(rows, 1, dtype: ScalarType.Bool, device: _padding!.device)], 1));
        if (_cache is null)
        {
            Replace(ref _tokens, cat([_tokens!, tokens.view(rows, 1)], 1));
            var all = _module.Forward(_tokens!, _padding!, null); // (N, T, D)
            return _module.Logits(all.select(1, -1)).to(ScalarType.Float32);
        }
        var hidden = _module.Forward(tokens.view(rows, 1), _padding!, _cache); // (N, 1, D)
        return _module.Logits(hidden.select(1, -1)).to(ScalarType.Float32);
    }

    /// <summary>Row i of the state becomes old row <paramref name="rows"/>[i] (batch expansion, beam parents).</summary>
    public void Reorder(Tensor rows)
    {
        _cache?.Reorder(rows);
        Replace(ref _padding, _padding!.index_select(0, rows));
        if (_tokens is not null)
            Replace(ref _tokens, _tokens.index_select(0, rows));
    }

    public void Dispose()
    {
        _cache?.Dispose();
        _padding?.Dispose();
        _tokens?.Dispose();
    }

    private static void Replace(ref Tensor? field, Tensor value)
    {
        value.DetachFromDisposeScope();
        field?.Dispose();
        field = value;
    }
}
