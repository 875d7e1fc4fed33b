using Soft.Curriculum;

namespace Soft.Samples.CustomScheduler;

/// <summary>
/// A curriculum of your own: start on the distilled data (λ = 1) and halve λ whenever validation HR@10 stops
/// improving, so the model moves to the real targets once the easy ones have nothing more to teach. It needs no
/// grounded distance, so <see cref="RequiresDistance"/> is false and the pipeline skips measuring it.
/// </summary>
/// <remarks>
/// The contract (see <see cref="ICurriculumScheduler"/>): called once before each epoch with everything recorded so
/// far; must return a finite λ in [0, 1] and depend only on that history and its own settings.
/// </remarks>
internal sealed class ValidationPlateauScheduler(string metric = "HR@10", double factor = 0.5) : ICurriculumScheduler
{
    public bool RequiresDistance => false;

    public double NextLambda(CurriculumHistory history)
    {
        double lambda = 1;
        double best = double.NegativeInfinity;
        foreach (var epoch in history.Epochs)
        {
            double value = epoch.Validation.TryGetValue(metric, out double v) ? v : double.NegativeInfinity;
            if (value > best)
                best = value;
            else
                lambda *= factor;
        }
        return lambda;
    }
}
