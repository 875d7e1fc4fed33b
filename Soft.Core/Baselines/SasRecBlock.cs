using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Baselines;

/// <summary>One pre-norm SASRec block: causal multi-head self-attention, then a position-wise feed-forward layer.</summary>
internal sealed class SasRecBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm attn_norm;
    private readonly Linear qkv;
    private readonly Linear out_proj;
    private readonly LayerNorm ffn_norm;
    private readonly Linear ffn_in;
    private readonly Linear ffn_out;
    private readonly int _heads;
    private readonly double _dropout;

    public SasRecBlock(int hidden, int heads, double dropout) : base(nameof(SasRecBlock))
    {
        attn_norm = nn.LayerNorm(hidden);
        qkv = nn.Linear(hidden, 3 * hidden);
        out_proj = nn.Linear(hidden, hidden);
        ffn_norm = nn.LayerNorm(hidden);
        ffn_in = nn.Linear(hidden, hidden);
        ffn_out = nn.Linear(hidden, hidden);
        _heads = heads;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <param name="x">Hidden states [B, L, d].</param>
    /// <param name="mask">Bool attention mask [B, 1, L, L], true = may attend.</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        long b = x.shape[0], l = x.shape[1], d = x.shape[2];
        var parts = qkv.call(attn_norm.call(x)).view(b, l, 3, _heads, d / _heads).permute(2, 0, 3, 1, 4);
        double p = training ? _dropout : 0.0;
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], mask, p)
            .transpose(1, 2).reshape(b, l, d);
        x = x.add(nn.functional.dropout(out_proj.call(attended), _dropout, training), Scalars.One);
        var ffn = ffn_out.call(nn.functional.gelu(ffn_in.call(ffn_norm.call(x))));
        return x.add(nn.functional.dropout(ffn, _dropout, training), Scalars.One);
    }
}
