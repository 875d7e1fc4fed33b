using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Baselines;

/// <summary>
/// The SASRec network: item and position embeddings, causal self-attention blocks, and scores for the next item
/// as dot products with the (shared) item embeddings. Item ids are shifted by one inside so that 0 pads.
/// </summary>
internal sealed class SasRecModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding item_embedding;
    private readonly Embedding position_embedding;
    private readonly ModuleList<SasRecBlock> blocks;
    private readonly LayerNorm final_norm;
    private readonly double _dropout;
    private readonly double _embeddingScale;

    public SasRecModel(int itemCount, SasRecOptions options) : base(nameof(SasRecModel))
    {
        ItemCount = itemCount;
        item_embedding = nn.Embedding(itemCount + 1, options.HiddenSize, padding_idx: 0);
        position_embedding = nn.Embedding(options.MaxLength, options.HiddenSize);
        blocks = nn.ModuleList(Enumerable.Range(0, options.Layers).Select(_ => new SasRecBlock(options.HiddenSize, options.Heads, options.Dropout)).ToArray());
        final_norm = nn.LayerNorm(options.HiddenSize);
        _dropout = options.Dropout;
        _embeddingScale = Math.Sqrt(options.HiddenSize);
        using (no_grad())
        {
            nn.init.normal_(item_embedding.weight!, 0, 0.02);
            nn.init.normal_(position_embedding.weight!, 0, 0.02);
            item_embedding.weight![0].zero_();
        }
        RegisterComponents();
    }

    public int ItemCount { get; }

    /// <param name="input">Left-padded shifted item ids [B, L] (0 = padding).</param>
    /// <returns>Hidden states [B, L, d].</returns>
    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0], l = input.shape[1];
        var positions = Scalars.Arange(0, l, device: input.device).unsqueeze(0);
        using var scale = _embeddingScale.ToScalar();
        var x = item_embedding.call(input).mul(scale).add(position_embedding.call(positions), Scalars.One);
        x = nn.functional.dropout(x, _dropout, training);
        var causal = ones(l, l, dtype: ScalarType.Bool, device: input.device).tril();
        var keyIsItem = input.ne(Scalars.Zero).view(b, 1, 1, l);
        // Every position may see itself, so rows of pure padding never become all-masked (NaN after softmax).
        var mask = (causal & keyIsItem) | eye(l, dtype: ScalarType.Bool, device: input.device);
        foreach (var block in blocks)
            x = block.call(x, mask);
        return final_norm.call(x);
    }

    /// <summary>Scores of every catalogue item (unshifted ids) from hidden states [..., d] → [..., itemCount].</summary>
    public Tensor Scores(Tensor hidden) => nn.functional.linear(hidden, item_embedding.weight![1..]);
}
