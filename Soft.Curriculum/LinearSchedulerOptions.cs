namespace Soft.Curriculum;

/// <summary>Options of <see cref="LinearScheduler"/>.</summary>
public sealed class LinearSchedulerOptions
{
    /// <summary>λ of epoch 1, in [0, 1].</summary>
    /// <remarks>Default value is 1 (distilled targets only, like SOFT's first epoch).</remarks>
    public double StartLambda { get; set; } = 1;

    /// <summary>λ from epoch <see cref="DurationEpochs"/> + 1 on, in [0, 1].</summary>
    /// <remarks>Default value is 0 (real targets only).</remarks>
    public double EndLambda { get; set; }

    /// <summary>Number of epochs over which λ moves from <see cref="StartLambda"/> to <see cref="EndLambda"/>; at least 1.</summary>
    /// <remarks>Default value is 6, so the reference's 7 epochs go from the start value to the end value.</remarks>
    public int DurationEpochs { get; set; } = 6;
}
