using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Training;

/// <summary>
/// The one gradient clipping of every training loop (fine-tuning stages and the catalogue pre-trainer): libtorch's
/// <c>clip_grad_norm_</c>, the L2 norm of all gradients together, scaled down to the limit when above it.
/// </summary>
internal static class GradientClipping
{
    /// <summary>
    /// Clips the gradients of <paramref name="parameters"/> to <paramref name="maxNorm"/> (0: never) and returns their
    /// norm before clipping, 0 when none has a gradient. Without a limit the norm is still measured, so that a caller can
    /// catch non-finite gradients; a non-finite norm leaves non-finite gradients, and the caller must skip the step.
    /// </summary>
    public static double Clip(IEnumerable<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        var withGradients = parameters.Where(p => p.grad is not null).ToList();
        return withGradients.Count == 0 ? 0 : nn.utils.clip_grad_norm_(withGradients, maxNorm > 0 ? maxNorm : double.PositiveInfinity);
    }
}
