using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>The LLaMA trunk: token embedding, decoder layers, final RMSNorm (HF prefix <c>model.</c>).</summary>
internal sealed class LlamaModel : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding _rotary;

    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.Hidden);
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new LlamaDecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.Hidden, config.RmsNormEps);
        _rotary = new RotaryEmbedding(config);
        RegisterComponents();
    }

    /// <summary>The token embedding matrix (vocab, hidden); the tied head multiplies by it.</summary>
    public Parameter EmbeddingWeight => embed_tokens.weight!;

    public int LayerCount => layers.Count;

    public Tensor Forward(Tensor inputIds, Tensor attentionMask, KvCache? cache, Lora.TrainableTokens? rows)
    {
        long length = inputIds.shape[1];
        var positions = AttentionMask.Positions(attentionMask, length); // (B, T)
        var mask = AttentionMask.Causal(attentionMask, length); // (B, 1, T, S)
        return Forward(inputIds, positions, mask, cache, rows);
    }

    /// <summary>The trunk with explicit positions (B, T) and a boolean attention mask (B, 1, T, S), true = attend.</summary>
    public Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache, Lora.TrainableTokens? rows)
    {
        var x = embed_tokens.forward(inputIds); // (B, T, D)
        if (rows is not null)
            x = rows.Embed(inputIds, x);
        var (cos, sin) = _rotary.Tables(positions, x.dtype);
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, cos, sin, mask, cache, i);
        return norm.forward(x);
    }
}
