using System.Globalization;
using System.Text.Json.Serialization;
using Soft.Training;

namespace Soft.Reporting;

/// <summary>
/// How one method's training stage went, as <see cref="SoftRunReport.Training"/> holds it: why it stopped, which
/// epoch it kept, d_0, and every finished epoch's λ, d, losses on D and D̂ and validation metrics.
/// </summary>
/// <remarks>
/// Serialised as <c>{"stopReason": "EarlyStopped", "bestEpoch": 1, "epochs": 2, "metricName": "HR@10",
/// "initialDistance": 1.63, "epochRecords": [{"epoch": 1, "lambda": 1, "distance": 1.52, "realLoss": 3.1, …}]}</c>;
/// <c>epochs</c> is written for readers and recomputed from <c>epochRecords</c> when read back.
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record MethodTraining
{
    /// <summary>Why the stage stopped, written as its name (<c>"EarlyStopped"</c>, <c>"MaxEpochs"</c>, <c>"NonFinite"</c>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<TrainingStopReason>))]
    public required TrainingStopReason StopReason { get; init; }

    /// <summary>The epoch whose weights the method was tested with; null when no epoch finished.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The number of epochs that finished (an epoch dropped for a non-finite loss does not count).</summary>
    public int Epochs => EpochRecords?.Count ?? 0;

    /// <summary>The validation metric that picked <see cref="BestEpoch"/> (<see cref="TrainingOptions.MetricName"/>), for example <c>"HR@10"</c>.</summary>
    public required string MetricName { get; init; }

    /// <summary>d_0, the mean grounded distance of the model before its first epoch; null when the curriculum needed none.</summary>
    public double? InitialDistance { get; init; }

    /// <summary>Every finished epoch, in order.</summary>
    public required IReadOnlyList<EpochRecord> EpochRecords { get; init; }

    /// <summary>
    /// One line for readers: <c>"stopped at epoch 3 (early-stopped), kept epoch 1"</c>; a stage that diverged says
    /// that the epoch after the last finished one was dropped.
    /// </summary>
    /// <returns>The line, without a final full stop.</returns>
    public string Describe()
    {
        string kept = BestEpoch is { } best ? string.Create(CultureInfo.InvariantCulture, $"kept epoch {best}") : "kept no epoch";
        return StopReason switch
        {
            TrainingStopReason.EarlyStopped => string.Create(CultureInfo.InvariantCulture, $"stopped at epoch {Epochs} (early-stopped: {MetricName} did not improve), {kept}"),
            TrainingStopReason.NonFinite => string.Create(CultureInfo.InvariantCulture, $"stopped in epoch {Epochs + 1} (non-finite loss; the epoch was dropped), {kept}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"stopped at epoch {Epochs} (max epochs), {kept}"),
        };
    }

    /// <summary>True when every fact and every epoch record is equal.</summary>
    /// <param name="other">The training to compare with.</param>
    /// <returns>Whether the two say the same thing.</returns>
    public bool Equals(MethodTraining? other) =>
        other is not null
        && StopReason == other.StopReason
        && BestEpoch == other.BestEpoch
        && string.Equals(MetricName, other.MetricName, StringComparison.Ordinal)
        && Nullable.Equals(InitialDistance, other.InitialDistance)
        && EpochRecords.SequenceEqual(other.EpochRecords);

    /// <summary>A hash consistent with <see cref="Equals(MethodTraining)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(StopReason, BestEpoch, MetricName, InitialDistance, Epochs);

    /// <summary>The report's account of a finished stage.</summary>
    /// <param name="result">What the trainer returned for the stage.</param>
    internal static MethodTraining From(TrainingResult result) => new()
    {
        StopReason = result.StopReason,
        BestEpoch = result.BestEpoch,
        MetricName = result.MetricName,
        InitialDistance = result.History.InitialDistance,
        EpochRecords = [.. result.Epochs],
    };
}
