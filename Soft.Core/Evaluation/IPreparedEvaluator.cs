namespace Soft.Evaluation;

/// <summary>
/// An evaluator that needs one-off preparation before it can rank, such as BIGRec's item table (every title
/// embedded with the base model). The pipeline calls <see cref="Prepare"/> once per run, as its own stage, before
/// any training; preparation writes its artifacts into the run folder so that a resumed run reloads them.
/// </summary>
public interface IPreparedEvaluator : IRecommendationEvaluator
{
    /// <summary>Builds (or reloads from the run folder) what the evaluator needs.</summary>
    /// <returns>The run-folder-relative files the preparation wrote or reused, to be checksummed in the manifest.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IReadOnlyList<string> Prepare(EvaluatorPreparation preparation, CancellationToken cancellationToken = default);
}
