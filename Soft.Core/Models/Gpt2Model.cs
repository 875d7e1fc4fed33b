using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>The GPT-2 trunk (HF prefix <c>transformer.</c>): token and learned position embeddings, blocks, ln_f.</summary>
internal sealed class Gpt2Model : nn.Module
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;
    private readonly double _embdDropout;
    private readonly int _positions;

    public Gpt2Model(Gpt2Config config) : base(nameof(Gpt2Model))
    {
        wte = nn.Embedding(config.VocabSize, config.NEmbd);
        wpe = nn.Embedding(config.NPositions, config.NEmbd);
        h = new ModuleList<Gpt2Block>(Enumerable.Range(0, config.NLayer).Select(_ => new Gpt2Block(config)).ToArray());
        ln_f = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        _embdDropout = config.EmbdPdrop;
        _positions = config.NPositions;
        RegisterComponents();
    }

    public Parameter TokenEmbeddingWeight => wte.weight!;

    public int LayerCount => h.Count;

    public Tensor Forward(Tensor inputIds, Tensor attentionMask, KvCache? cache, Lora.TrainableTokens? rows)
    {
        long length = inputIds.shape[1];
        if (attentionMask.shape[1] > _positions)
            throw new ArgumentException($"Sequence of {attentionMask.shape[1]} tokens exceeds GPT-2's n_positions ({_positions}).");
        var positions = AttentionMask.Positions(attentionMask, length); // (B, T)
        var mask = AttentionMask.Causal(attentionMask, length); // (B, 1, T, S)
        return Forward(inputIds, positions, mask, cache, rows);
    }

    /// <summary>The trunk with explicit positions (B, T) and a boolean attention mask (B, 1, T, S), true = attend.</summary>
    public Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache, Lora.TrainableTokens? rows)
    {
        var tokens = wte.forward(inputIds); // (B, T, D)
        if (rows is not null)
            tokens = rows.Embed(inputIds, tokens);
        var x = nn.functional.dropout(tokens.add(wpe.forward(positions), Scalars.One), _embdDropout, training); // (B, T, D)
        for (int i = 0; i < h.Count; i++)
            x = h[i].Forward(x, mask, cache, i);
        return ln_f.forward(x);
    }
}
