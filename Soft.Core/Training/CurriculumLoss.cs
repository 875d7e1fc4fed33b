using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Training;

/// <summary>SOFT's training loss: L = (1 − λ)·L_D + λ·L_D̂, the real and the distilled term weighed by the curriculum's λ.</summary>
internal static class CurriculumLoss
{
    /// <summary>
    /// The loss one micro-batch optimises. A term of weight 0 is left out, not multiplied by 0, so its tensor may be
    /// missing or a measurement without gradient (the loss on data the epoch does not train on, reported beside it).
    /// </summary>
    /// <param name="real">L_D, the mean loss on the real targets; needed when λ &lt; 1.</param>
    /// <param name="distilled">L_D̂, the mean loss on the distilled targets; needed when λ &gt; 0.</param>
    /// <param name="lambda">λ ∈ [0, 1], the distilled term's weight.</param>
    public static Tensor Combine(Tensor? real, Tensor? distilled, double lambda)
    {
        if (lambda == 0)
            return real ?? throw new ArgumentNullException(nameof(real), "λ = 0 trains on the real targets alone.");
        if (lambda == 1)
            return distilled ?? throw new ArgumentNullException(nameof(distilled), "λ = 1 trains on the distilled targets alone.");
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(distilled);
        // Scalars own native memory: disposed here rather than left to the finaliser (docs/TORCHSHARP-NOTES.md).
        using var realWeight = (1 - lambda).ToScalar();
        using var distilledWeight = lambda.ToScalar();
        return real.mul(realWeight).add(distilled.mul(distilledWeight));
    }
}
