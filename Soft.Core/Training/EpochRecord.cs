using System.Text.Json.Serialization;

namespace Soft.Training;

/// <summary>
/// What one finished epoch of a stage did and measured: one entry of <c>trainer_state.json</c>, and of each method's
/// <see cref="Reporting.MethodTraining.EpochRecords"/> in <c>report.json</c>.
/// </summary>
/// <remarks>
/// Losses are kept as observed: a diverged epoch may hold NaN or infinity, written as the JSON strings <c>"NaN"</c>
/// and <c>"Infinity"</c> so that the files still parse.
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record EpochRecord
{
    /// <summary>The 1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>λ, the weight of the distilled loss, the epoch was trained with.</summary>
    public required double Lambda { get; init; }

    /// <summary>The mean grounded distance d_e measured after the epoch, or null when the scheduler needs none.</summary>
    public double? Distance { get; init; }

    /// <summary>Mean L_real over the epoch's applied steps (measured without training on it when λ was 1).</summary>
    public double? RealLoss { get; init; }

    /// <summary>Mean L_distilled over the epoch's applied steps (measured without training on it when λ was 0); null when the stage has no D̂.</summary>
    public double? DistilledLoss { get; init; }

    /// <summary>Mean optimised loss (1 − λ)·L_real + λ·L_distilled over the applied steps; NaN when none was applied.</summary>
    public required double CombinedLoss { get; init; }

    /// <summary>Validation metrics after the epoch, by name; empty when the job has no validation callback.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Optimizer steps of the epoch, skipped ones included.</summary>
    public required int Steps { get; init; }

    /// <summary>Steps of the epoch skipped because the loss or gradient norm was not finite.</summary>
    public int SkippedSteps { get; init; }

    /// <summary>The learning rate of the epoch's last step.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Wall-clock seconds of the epoch: training, validation and distance together (the checkpoint is written after).</summary>
    public double Seconds { get; init; }

    /// <summary>Wall-clock seconds of the epoch's training steps alone.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>True when every field and every validation metric (name, value and order) is equal.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether the records are equal.</returns>
    public bool Equals(EpochRecord? other) =>
        other is not null
        && Epoch == other.Epoch
        && Lambda.Equals(other.Lambda)
        && Nullable.Equals(Distance, other.Distance)
        && Nullable.Equals(RealLoss, other.RealLoss)
        && Nullable.Equals(DistilledLoss, other.DistilledLoss)
        && CombinedLoss.Equals(other.CombinedLoss)
        && Validation.SequenceEqual(other.Validation)
        && Steps == other.Steps
        && SkippedSteps == other.SkippedSteps
        && LearningRate.Equals(other.LearningRate)
        && Seconds.Equals(other.Seconds)
        && TrainSeconds.Equals(other.TrainSeconds);

    /// <summary>A hash consistent with <see cref="Equals(EpochRecord)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Epoch, Lambda, Distance, RealLoss, DistilledLoss, CombinedLoss, Validation.Count, Steps);
}
