using Soft.Runtime;
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
        var variance = x.pow(Scalars.Two).mean([-1L], keepdim: true);
        using var eps = _eps.ToScalar();
        x = x * rsqrt(variance.add(eps, Scalars.One));
        return weight * x.to(dtype);
    }
}
