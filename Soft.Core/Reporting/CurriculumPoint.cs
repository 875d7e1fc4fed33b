using System.Text.Json.Serialization;
using Soft.Curriculum;

namespace Soft.Reporting;

/// <summary>
/// One row of a run's curriculum: the λ an epoch of SOFT training used and the grounded distance d measured
/// after it. Serialised as <c>{"epoch": 1, "lambda": 1.0, "distance": 0.73}</c>.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record CurriculumPoint
{
    /// <summary>
    /// The epoch number: 1 for the first trained epoch, 0 for the measurement of d_0 with the untrained model
    /// before training starts.
    /// </summary>
    public required int Epoch { get; init; }

    /// <summary>The weight λ of the distilled loss the epoch was trained with; null for epoch 0, which trains nothing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] // Every row has the same three keys, even where null.
    public double? Lambda { get; init; }

    /// <summary>The mean grounded distance d measured after the epoch (d_0 for epoch 0); null when it was not measured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Distance { get; init; }

    /// <summary>The curriculum row of a finished epoch.</summary>
    /// <param name="statistics">What the trainer recorded for the epoch.</param>
    /// <returns>The epoch's number, λ and measured distance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is null.</exception>
    public static CurriculumPoint From(EpochStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new CurriculumPoint { Epoch = statistics.Epoch, Lambda = statistics.Lambda, Distance = statistics.MeanDistance };
    }
}
