using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>GPT-2 feed-forward: c_proj(act(c_fc(x))), with GPT-2's tanh-approximated GELU by default.</summary>
internal sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    // Typed as modules, not Linear, so adapters (LoRA) can wrap them in place (LoraAdapter.Inject needs a field it can assign).
    private nn.Module<Tensor, Tensor> c_fc;
    private nn.Module<Tensor, Tensor> c_proj;
    private readonly string _activation;
    private readonly double _dropout;

    public Gpt2Mlp(Gpt2Config config) : base(nameof(Gpt2Mlp))
    {
        c_fc = nn.Linear(config.NEmbd, config.InnerSize);
        c_proj = nn.Linear(config.InnerSize, config.NEmbd);
        _activation = config.ActivationFunction;
        _dropout = config.ResidPdrop;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var h = c_fc.forward(input);
        h = _activation switch
        {
            "gelu_new" or "gelu_pytorch_tanh" => nn.functional.gelu(h, GELU.Approximate.tanh),
            "gelu" => nn.functional.gelu(h),
            _ => nn.functional.relu(h),
        };
        return nn.functional.dropout(c_proj.forward(h), _dropout, training);
    }
}
