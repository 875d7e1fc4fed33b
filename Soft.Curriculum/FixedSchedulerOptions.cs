namespace Soft.Curriculum;

/// <summary>Options of <see cref="FixedScheduler"/>.</summary>
public sealed class FixedSchedulerOptions
{
    /// <summary>The constant weight of the distilled loss, in [0, 1].</summary>
    /// <remarks>Default value is 0.5, an even mix of real and distilled targets.</remarks>
    public double Lambda { get; set; } = 0.5;
}
