using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>
/// The self-adaptive curriculum of SOFT (Tang et al., 2025): λ_e = min(exp(α·(d_{e−1}/d_0 − 1)), 1), where d_k is
/// the mean grounded distance after epoch k and d_0 that of the untrained model.
/// </summary>
/// <remarks>
/// <para>
/// Epoch 1 sees d_0/d_0 = 1, so λ_1 = 1: the first epoch trains on the distilled targets only. As the model's
/// answers approach the true items, d falls below d_0 and weight moves to the real targets; whenever d rises to
/// d_0 or above, λ is capped at 1.
/// </para>
/// <para>
/// d_0 = 0 means the untrained model already answers every sampled prompt with the true item (in practice a
/// degenerate measurement). No later distance can fall below zero, so the model can never look better than at
/// the start; the scheduler then returns 1, the formula's limit (0/0 is read as "no change", ratio 1). Log d_0
/// to notice this case.
/// </para>
/// </remarks>
public sealed class AdaptiveDistanceScheduler : ICurriculumScheduler
{
    private readonly double alpha;

    /// <summary>Creates the scheduler from validated options.</summary>
    /// <param name="options">The options; their values are copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the property.</exception>
    public AdaptiveDistanceScheduler(IOptions<AdaptiveDistanceSchedulerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = SchedulerOptions.Validated(options, new AdaptiveDistanceSchedulerOptionsValidator());
        alpha = value.Alpha;
    }

    /// <summary>α, the sharpness of the schedule.</summary>
    public double Alpha => alpha;

    /// <inheritdoc/>
    public bool RequiresDistance => true;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">d_0 or d_{e−1} was not measured.</exception>
    public double NextLambda(CurriculumHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int previous = history.NextEpoch - 1;
        double d0 = history.InitialDistance
            ?? throw new InvalidOperationException("The adaptive curriculum needs d_0, the distance of the untrained model.");
        double d = history.DistanceAfter(previous)
            ?? throw new InvalidOperationException($"The adaptive curriculum needs d_{previous}, which was not measured.");

        if (d0 == 0)
            return 1;
        // Math.Exp of a large positive exponent is +∞, which the cap turns into 1, so no overflow guard is needed.
        return Math.Min(Math.Exp(alpha * ((d / d0) - 1)), 1);
    }
}
