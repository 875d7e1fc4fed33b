using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Grouped-query self-attention with rotary positions (LLaMA, Qwen2).</summary>
internal sealed class LlamaAttention : nn.Module
{
    // Typed as modules, not Linear, so adapters (LoRA) can wrap them in place (LoraAdapter.Inject needs a field it can assign).
    private nn.Module<Tensor, Tensor> q_proj;
    private nn.Module<Tensor, Tensor> k_proj;
    private nn.Module<Tensor, Tensor> v_proj;
    private nn.Module<Tensor, Tensor> o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly double _dropout;

    public LlamaAttention(LlamaConfig config) : base(nameof(LlamaAttention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.KeyValueHeads;
        _headDim = config.HeadDim;
        _dropout = config.AttentionDropout;
        q_proj = nn.Linear(config.Hidden, _heads * _headDim, hasBias: config.QkvBias);
        k_proj = nn.Linear(config.Hidden, _kvHeads * _headDim, hasBias: config.QkvBias);
        v_proj = nn.Linear(config.Hidden, _kvHeads * _headDim, hasBias: config.QkvBias);
        o_proj = nn.Linear(_heads * _headDim, config.Hidden, hasBias: config.OutputBias);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layer)
    {
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2); // (B, nh, T, hd)
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2); // (B, nkv, T, hd)
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2); // (B, nkv, T, hd)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
            (k, v) = cache.Append(layer, k, v); // (B, nkv, S, hd)
        if (_kvHeads != _heads)
        {
            // SDPA in 0.107 has no enable_gqa: give every query head its own copy of its group's keys.
            k = k.repeat_interleave(_heads / _kvHeads, 1);
            v = v.repeat_interleave(_heads / _kvHeads, 1);
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask, p: training ? _dropout : 0.0); // (B, nh, T, hd)
        y = y.transpose(1, 2).reshape(batch, length, _heads * _headDim); // (B, T, nh·hd)
        return o_proj.forward(y);
    }
}
