namespace Soft.Pipeline;

/// <summary>A snapshot of a running pipeline, for progress displays and logs.</summary>
/// <param name="Stage">The stage running, e.g. <c>items</c>, <c>sft</c>, <c>distill</c>, <c>soft</c>, <c>eval/SOFT</c>.</param>
/// <param name="Message">A short human-readable account of what is happening.</param>
/// <param name="Done">Units of work finished in this stage (steps or samples), when known.</param>
/// <param name="Total">Units of work in this stage, when known.</param>
/// <param name="Epoch">The training epoch (1-based), for training stages.</param>
/// <param name="Loss">The latest training loss, for training stages.</param>
/// <param name="Lambda">λ, the weight of the distilled loss, for training stages.</param>
/// <param name="Eta">Estimated time left in the stage, when known.</param>
public sealed record PipelineProgress(
    string Stage,
    string Message,
    long? Done = null,
    long? Total = null,
    int? Epoch = null,
    double? Loss = null,
    double? Lambda = null,
    TimeSpan? Eta = null);
