using System.Text.Json.Serialization;
using Soft.Curriculum;

namespace Soft.Reporting;

/// <summary>
/// One epoch of one method's training as it appears in <see cref="SoftRunReport.TrainingLog"/>:
/// <c>{"epoch", "trainLoss", "realLoss", "distilledLoss", "lambda", "distance", "validation": {"HR@10": …}}</c>.
/// </summary>
/// <remarks>
/// Losses are kept as observed: a diverged epoch may hold NaN or infinity, written as the JSON strings
/// <c>"NaN"</c> and <c>"Infinity"</c> so that the report still parses.
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record TrainingLogEntry
{
    /// <summary>The 1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>The mean optimised loss of the epoch, (1 − λ)·L_real + λ·L_distilled.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>The mean loss on the real targets; null when the epoch computed none.</summary>
    public double? RealLoss { get; init; }

    /// <summary>The mean loss on the distilled targets; null when the epoch computed none (plain SFT).</summary>
    public double? DistilledLoss { get; init; }

    /// <summary>The weight λ of the distilled loss: 0 for SFT, 1 for training on distilled targets only.</summary>
    public required double Lambda { get; init; }

    /// <summary>The mean grounded distance measured after the epoch; null when it was not measured.</summary>
    public double? Distance { get; init; }

    /// <summary>Validation metrics measured after the epoch, by name (<c>"HR@10"</c>, <c>"NDCG@10"</c>); empty when none.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>True when every field and every validation metric (name, value and order) is equal.</summary>
    /// <param name="other">The entry to compare with.</param>
    /// <returns>Whether the entries are equal.</returns>
    public bool Equals(TrainingLogEntry? other) =>
        other is not null
        && Epoch == other.Epoch
        && TrainLoss.Equals(other.TrainLoss)
        && Nullable.Equals(RealLoss, other.RealLoss)
        && Nullable.Equals(DistilledLoss, other.DistilledLoss)
        && Lambda.Equals(other.Lambda)
        && Nullable.Equals(Distance, other.Distance)
        && Validation.SequenceEqual(other.Validation);

    /// <summary>A hash consistent with <see cref="Equals(TrainingLogEntry)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Epoch, TrainLoss, RealLoss, DistilledLoss, Lambda, Distance, Validation.Count);

    /// <summary>The log entry of a finished epoch.</summary>
    /// <param name="statistics">What the trainer recorded for the epoch.</param>
    /// <returns>The entry, with a private copy of the validation metrics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is null.</exception>
    public static TrainingLogEntry From(EpochStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new TrainingLogEntry
        {
            Epoch = statistics.Epoch,
            TrainLoss = statistics.CombinedLoss,
            RealLoss = statistics.RealLoss,
            DistilledLoss = statistics.DistilledLoss,
            Lambda = statistics.Lambda,
            Distance = statistics.MeanDistance,
            Validation = new Dictionary<string, double>(statistics.Validation, StringComparer.Ordinal),
        };
    }
}
