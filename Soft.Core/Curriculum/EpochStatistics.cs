using System.Text.Json.Serialization;

namespace Soft.Curriculum;

/// <summary>
/// What the trainer observed during one finished epoch; the input a <see cref="ICurriculumScheduler"/> reads to
/// choose the weight of the next one.
/// </summary>
/// <remarks>
/// Instances are immutable and round-trip through System.Text.Json, one line per epoch of <c>curriculum.jsonl</c>.
/// Losses are recorded as observed: a diverged run may report NaN or infinity, which serialise as the strings
/// <c>"NaN"</c> and <c>"Infinity"</c>. Distances and λ are checked, because schedulers compute with them.
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed class EpochStatistics
{
    /// <summary>Creates the statistics of one finished epoch.</summary>
    /// <param name="epoch">The 1-based number of the finished epoch.</param>
    /// <param name="lambda">The λ the epoch was trained with, in [0, 1].</param>
    /// <param name="distance">
    /// The mean grounded distance d_epoch measured after the epoch, or null when the trainer did not measure it.
    /// </param>
    /// <param name="realLoss">Mean training loss on the real targets, or null when none were computed.</param>
    /// <param name="distilledLoss">Mean training loss on the distilled targets, or null when none were computed.</param>
    /// <param name="combinedLoss">Mean of (1 − λ)·L_real + λ·L_distilled, the loss that was optimised.</param>
    /// <param name="validation">Validation metrics by name (for example <c>"HR@10"</c>); null means none.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="epoch"/> is below 1, <paramref name="lambda"/> is not in [0, 1], or
    /// <paramref name="distance"/> is negative, NaN or infinite.
    /// </exception>
    public EpochStatistics(
        int epoch,
        double lambda,
        double? distance,
        double? realLoss,
        double? distilledLoss,
        double combinedLoss,
        IReadOnlyDictionary<string, double>? validation = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        CurriculumChecks.ThrowIfNotLambda(lambda);
        if (distance is { } d)
            CurriculumChecks.ThrowIfNotDistance(d, nameof(distance));
        Epoch = epoch;
        Lambda = lambda;
        Distance = distance;
        RealLoss = realLoss;
        DistilledLoss = distilledLoss;
        CombinedLoss = combinedLoss;
        // A private copy: a caller that keeps filling its dictionary must not change recorded history.
        Validation = validation is null
            ? new Dictionary<string, double>(StringComparer.Ordinal)
            : new Dictionary<string, double>(validation, StringComparer.Ordinal);
    }

    /// <summary>The 1-based number of the finished epoch.</summary>
    public int Epoch { get; }

    /// <summary>The λ (weight of the distilled loss) the epoch was trained with, in [0, 1].</summary>
    public double Lambda { get; }

    /// <summary>
    /// The mean grounded distance d_epoch: the mean L2 distance, on the fixed seeded sample of training prompts,
    /// between the embedding of the model's top-beam answer and the embedding of the true item, measured after
    /// this epoch. Null when the trainer skipped the measurement (see <see cref="ICurriculumScheduler.RequiresDistance"/>).
    /// </summary>
    public double? Distance { get; }

    /// <summary>Mean training loss on the real targets (L_real); null when the epoch computed none.</summary>
    public double? RealLoss { get; }

    /// <summary>Mean training loss on the distilled targets (L_distilled); null when the epoch computed none (plain SFT).</summary>
    public double? DistilledLoss { get; }

    /// <summary>Mean optimised loss, (1 − λ)·L_real + λ·L_distilled.</summary>
    public double CombinedLoss { get; }

    /// <summary>Validation metrics measured after the epoch, by name (for example <c>"HR@10"</c>); empty when none.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; }
}
