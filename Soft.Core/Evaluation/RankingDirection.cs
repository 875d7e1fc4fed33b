namespace Soft.Evaluation;

/// <summary>Which end of a per-item value ranks first.</summary>
public enum RankingDirection
{
    /// <summary>Smaller values rank first: distances, such as the L2 distance of grounding.</summary>
    LowerIsBetter,

    /// <summary>Larger values rank first: scores, such as log-probabilities or similarities.</summary>
    HigherIsBetter,
}
