using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    // Typed as modules, not Linear, so adapters (LoRA) can wrap them in place (LoraAdapter.Inject needs a field it can assign).
    private nn.Module<Tensor, Tensor> gate_proj;
    private nn.Module<Tensor, Tensor> up_proj;
    private nn.Module<Tensor, Tensor> down_proj;

    public LlamaMlp(LlamaConfig config) : base(nameof(LlamaMlp))
    {
        gate_proj = nn.Linear(config.Hidden, config.IntermediateSize, hasBias: config.MlpBias);
        up_proj = nn.Linear(config.Hidden, config.IntermediateSize, hasBias: config.MlpBias);
        down_proj = nn.Linear(config.IntermediateSize, config.Hidden, hasBias: config.MlpBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        down_proj.forward(nn.functional.silu(gate_proj.forward(input)) * up_proj.forward(input));
}
