namespace Soft.Metrics;

/// <summary>
/// The names Soft.Metrics' evaluators report under (<see cref="Evaluation.IRecommendationEvaluator.Name"/>), which
/// <see cref="Reporting.MethodResult.Evaluator"/> carries and <see cref="MetricsSoftTrainerBuilderExtensions.AddEvaluator"/> takes.
/// </summary>
public static class EvaluatorNames
{
    /// <summary>Exact catalogue scoring (<see cref="Exact.ExactScoringEvaluator"/>).</summary>
    public const string Exact = "exact";

    /// <summary>BIGRec's L2 grounding (<see cref="Grounding.GroundingEvaluator"/>).</summary>
    public const string Grounding = "grounding";

    /// <summary>D3-style constrained beam search (<see cref="Constrained.ConstrainedBeamEvaluator"/>).</summary>
    public const string ConstrainedBeam = "constrained-beam";

    /// <summary>Every name above, in this order.</summary>
    public static IReadOnlyList<string> All { get; } = [Exact, Grounding, ConstrainedBeam];
}
