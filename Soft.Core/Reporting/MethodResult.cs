namespace Soft.Reporting;

/// <summary>
/// The test metrics of one method under one evaluator, as <see cref="SoftRunReport.Results"/> holds them: a reader
/// selects by <see cref="Method"/> and <see cref="Evaluator"/>, never by parsing a combined name.
/// </summary>
/// <param name="Method">The method's report name (see <see cref="ReportMethodNames"/>, or a variant's name).</param>
/// <param name="Evaluator">The evaluator's name (<c>exact</c>, <c>grounding</c>, <c>constrained</c>, …).</param>
/// <param name="Metrics">Metric name (<c>"HR@10"</c>, <c>"NDCG@10"</c>, …) to value; holds at least <see cref="SoftRunReport.RequiredMetrics"/>.</param>
public sealed record MethodResult(string Method, string Evaluator, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The row label readers print: the method, qualified by the evaluator when the report has several.</summary>
    /// <param name="qualify">Whether to add the evaluator, e.g. <c>SFT (grounding)</c>.</param>
    public string Label(bool qualify) => qualify ? $"{Method} ({Evaluator})" : Method;
}
