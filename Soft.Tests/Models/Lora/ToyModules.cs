using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

// Toy modules for the LoRA tests. A tiny decoder with Hugging Face LLaMA module names
// (model.layers.N.self_attn.q_proj, ...), holding every projection in a field typed Module<Tensor, Tensor> as
// LoraAdapter asks of model authors.
internal sealed class ToyCausalLM : nn.Module<Tensor, Tensor>
{
    public const int Vocab = 40;
    public const int Hidden = 32;
    public const int Heads = 2;
    public const int Intermediate = 48;
    public const int LayerCount = 2;

    private readonly ToyModel model;
    private readonly nn.Module<Tensor, Tensor> lm_head;

    public ToyCausalLM() : base(nameof(ToyCausalLM))
    {
        model = new ToyModel();
        lm_head = nn.Linear(Hidden, Vocab, hasBias: false);
        RegisterComponents();
    }

    public ToyModel Inner => model;

    public override Tensor forward(Tensor inputIds) => lm_head.call(model.call(inputIds)); // (B, T, V)
}

internal sealed class ToyModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<ToyDecoderLayer> layers;
    private readonly LayerNorm norm;

    public ToyModel() : base(nameof(ToyModel))
    {
        embed_tokens = nn.Embedding(ToyCausalLM.Vocab, ToyCausalLM.Hidden);
        layers = new ModuleList<ToyDecoderLayer>([.. Enumerable.Range(0, ToyCausalLM.LayerCount).Select(_ => new ToyDecoderLayer())]);
        norm = nn.LayerNorm(ToyCausalLM.Hidden);
        RegisterComponents();
    }

    public ToyDecoderLayer Layer(int index) => layers[index];

    public override Tensor forward(Tensor inputIds)
    {
        var h = embed_tokens.call(inputIds); // (B, T, C)
        foreach (var layer in layers)
        {
            h = layer.call(h);
        }

        return norm.call(h);
    }
}

internal sealed class ToyDecoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm input_layernorm;
    private readonly ToyAttention self_attn;
    private readonly LayerNorm post_attention_layernorm;
    private readonly ToyMlp mlp;

    public ToyDecoderLayer() : base(nameof(ToyDecoderLayer))
    {
        input_layernorm = nn.LayerNorm(ToyCausalLM.Hidden);
        self_attn = new ToyAttention();
        post_attention_layernorm = nn.LayerNorm(ToyCausalLM.Hidden);
        mlp = new ToyMlp();
        RegisterComponents();
    }

    public ToyAttention Attention => self_attn;

    public override Tensor forward(Tensor x)
    {
        x = x + self_attn.call(input_layernorm.call(x));
        return x + mlp.call(post_attention_layernorm.call(x));
    }
}

internal sealed class ToyAttention : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> q_proj;
    private readonly nn.Module<Tensor, Tensor> k_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;
    private readonly nn.Module<Tensor, Tensor> o_proj;

    public ToyAttention() : base(nameof(ToyAttention))
    {
        q_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Hidden, hasBias: false);
        k_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Hidden, hasBias: false);
        v_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Hidden, hasBias: false);
        o_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Hidden, hasBias: false);
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> QProj => q_proj;

    public nn.Module<Tensor, Tensor> VProj => v_proj;

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1];
        const int hs = ToyCausalLM.Hidden / ToyCausalLM.Heads;
        var q = q_proj.call(x).view(b, t, ToyCausalLM.Heads, hs).transpose(1, 2); // (B, nh, T, hs)
        var k = k_proj.call(x).view(b, t, ToyCausalLM.Heads, hs).transpose(1, 2); // (B, nh, T, hs)
        var v = v_proj.call(x).view(b, t, ToyCausalLM.Heads, hs).transpose(1, 2); // (B, nh, T, hs)
        var y = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true); // (B, nh, T, hs)
        return o_proj.call(y.transpose(1, 2).reshape(b, t, ToyCausalLM.Hidden));
    }
}

internal sealed class ToyMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> gate_proj;
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;

    public ToyMlp() : base(nameof(ToyMlp))
    {
        gate_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Intermediate, hasBias: false);
        up_proj = nn.Linear(ToyCausalLM.Hidden, ToyCausalLM.Intermediate, hasBias: false);
        down_proj = nn.Linear(ToyCausalLM.Intermediate, ToyCausalLM.Hidden, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        down_proj.call(nn.functional.silu(gate_proj.call(x)) * up_proj.call(x));
}

// A GPT-2 style block: fused query/key/value projection c_attn [in C, out 3C] held as a Linear after transposition.
internal sealed class ToyGpt2 : nn.Module<Tensor, Tensor>
{
    public const int Hidden = 16;

    private readonly ToyGpt2Block h0;

    public ToyGpt2() : base(nameof(ToyGpt2))
    {
        h0 = new ToyGpt2Block();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => h0.call(x);
}

internal sealed class ToyGpt2Block : nn.Module<Tensor, Tensor>
{
    private readonly ToyGpt2Attention attn;

    public ToyGpt2Block() : base(nameof(ToyGpt2Block))
    {
        attn = new ToyGpt2Attention();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => attn.call(x);
}

internal sealed class ToyGpt2Attention : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> c_attn;
    private readonly nn.Module<Tensor, Tensor> c_proj;

    public ToyGpt2Attention() : base(nameof(ToyGpt2Attention))
    {
        c_attn = nn.Linear(ToyGpt2.Hidden, 3 * ToyGpt2.Hidden);
        c_proj = nn.Linear(ToyGpt2.Hidden, ToyGpt2.Hidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => c_proj.call(c_attn.call(x).chunk(3, -1)[2]);
}

// Layouts LoRA must refuse: a projection in a field typed Linear, and one kept only in a ModuleList.
internal sealed class LinearTypedField : nn.Module<Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;

    public LinearTypedField() : base(nameof(LinearTypedField))
    {
        q_proj = nn.Linear(8, 8);
        v_proj = nn.Linear(8, 8);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => v_proj.call(q_proj.call(x));
}

internal sealed class LinearInList : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> heads;

    public LinearInList() : base(nameof(LinearInList))
    {
        heads = new ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(8, 8), nn.Linear(8, 8));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => heads[1].call(heads[0].call(x));
}
