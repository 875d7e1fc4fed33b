using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Pre-norm decoder block: x + attn(norm(x)), then + mlp(norm(·)).</summary>
internal sealed class LlamaDecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    public LlamaDecoderLayer(LlamaConfig config) : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = new RmsNorm(config.Hidden, config.RmsNormEps);
        self_attn = new LlamaAttention(config);
        post_attention_layernorm = new RmsNorm(config.Hidden, config.RmsNormEps);
        mlp = new LlamaMlp(config);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layer)
    {
        var h = x.add(self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, layer), Scalars.One);
        return h.add(mlp.forward(post_attention_layernorm.forward(h)), Scalars.One);
    }
}
