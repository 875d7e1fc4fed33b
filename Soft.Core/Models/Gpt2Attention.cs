using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>GPT-2 self-attention with the fused q|k|v projection <c>c_attn</c>.</summary>
internal sealed class Gpt2Attention : nn.Module
{
    // Hugging Face stores these as Conv1D, weight (in, out); here they are Linear, weight (out, in). The
    // checkpoint mapping in Gpt2LMHeadModel transposes them both ways.
    // Typed as modules, not Linear, so adapters (LoRA) can wrap them in place (LoraAdapter.Inject needs a field it can assign).
    private nn.Module<Tensor, Tensor> c_attn;
    private nn.Module<Tensor, Tensor> c_proj;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly double _attnDropout;
    private readonly double _residDropout;

    public Gpt2Attention(Gpt2Config config) : base(nameof(Gpt2Attention))
    {
        _heads = config.NHead;
        _headDim = config.NEmbd / config.NHead;
        _attnDropout = config.AttnPdrop;
        _residDropout = config.ResidPdrop;
        c_attn = nn.Linear(config.NEmbd, 3 * config.NEmbd);
        c_proj = nn.Linear(config.NEmbd, config.NEmbd);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor mask, KvCache? cache, int layer)
    {
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        var qkv = c_attn.forward(x).split(width, 2); // 3 × (B, T, D)
        var q = qkv[0].view(batch, length, _heads, _headDim).transpose(1, 2); // (B, nh, T, hd)
        var k = qkv[1].view(batch, length, _heads, _headDim).transpose(1, 2);
        var v = qkv[2].view(batch, length, _heads, _headDim).transpose(1, 2);
        if (cache is not null)
            (k, v) = cache.Append(layer, k, v); // (B, nh, S, hd)
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask, p: training ? _attnDropout : 0.0); // (B, nh, T, hd)
        y = y.transpose(1, 2).reshape(batch, length, width); // (B, T, D)
        return nn.functional.dropout(c_proj.forward(y), _residDropout, training);
    }
}
