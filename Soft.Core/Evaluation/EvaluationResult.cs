namespace Soft.Evaluation;

/// <summary>The metrics of one evaluation and the per-sample predictions behind them.</summary>
/// <param name="Evaluator">Name of the evaluator that produced it.</param>
/// <param name="Metrics">Metric name → value, e.g. <c>HR@10</c>, <c>NDCG@10</c>, <c>MRR</c>, <c>Coverage@10</c>.</param>
/// <param name="Predictions">One entry per evaluated sample, in the samples' order.</param>
public sealed record EvaluationResult(string Evaluator, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<SamplePrediction> Predictions);
