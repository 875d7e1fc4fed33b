using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Root-mean-square layer norm (TorchSharp 0.107 has none), computed in fp32 as LLaMA does.</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var dtype = input.dtype;
        var x = input.to(ScalarType.Float32);
        // Low-precision squares overflow or lose the mean; hence fp32 whatever the weights are.
        var variance = x.pow(2).mean([-1L], keepdim: true);
        x = x * rsqrt(variance + _eps);
        return weight * x.to(dtype);
    }
}
