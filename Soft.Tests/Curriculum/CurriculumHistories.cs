using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

/// <summary>Builds histories for scheduler tests from d_0 and the distances after each finished epoch.</summary>
internal static class CurriculumHistories
{
    public static CurriculumHistory WithDistances(double? initialDistance, params double?[] distances) =>
        new(initialDistance, distances.Select((d, i) => new EpochStatistics(i + 1, 0.5, d, 1.0, 0.5, 0.75)));

    /// <summary>A history whose next epoch is <paramref name="nextEpoch"/>, without distances.</summary>
    public static CurriculumHistory BeforeEpoch(int nextEpoch) =>
        WithDistances(null, Enumerable.Repeat<double?>(null, nextEpoch - 1).ToArray());
}
