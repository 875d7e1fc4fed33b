namespace Soft.Curriculum;

/// <summary>Options of <see cref="AdaptiveDistanceScheduler"/>, the self-adaptive curriculum of SOFT.</summary>
public sealed class AdaptiveDistanceSchedulerOptions
{
    /// <summary>
    /// α, how sharply λ falls as the model's answers approach the true items: λ_e = min(exp(α·(d_{e−1}/d_0 − 1)), 1).
    /// Must be finite and greater than 0.
    /// </summary>
    /// <remarks>
    /// Default value is 1, the authors' default; their search grid is {100, 10, 1, 0.1}. For a constant λ = 1 use
    /// <see cref="FixedScheduler"/> with λ = 1 rather than α = 0.
    /// </remarks>
    public double Alpha { get; set; } = 1;
}
