namespace Soft.Training;

/// <summary>A snapshot of a running stage, reported after every optimizer step (for a live console view).</summary>
/// <param name="Stage">The stage being trained (for example <c>sft</c> or <c>soft</c>).</param>
/// <param name="Epoch">The 1-based epoch in progress.</param>
/// <param name="MaxEpochs">The most epochs the stage may run.</param>
/// <param name="Step">Optimizer steps taken in the stage so far, skipped ones included, counted across epochs.</param>
/// <param name="TotalSteps">Optimizer steps the stage plans for all its epochs (early stopping may end it sooner).</param>
/// <param name="Loss">The optimised loss (1 − λ)·L_real + λ·L_distilled of the last step; NaN when it was skipped.</param>
/// <param name="Lambda">λ, the weight of the distilled loss in this epoch.</param>
/// <param name="LearningRate">The learning rate the last step used.</param>
/// <param name="SkippedSteps">Steps skipped so far in the stage because the loss or gradient norm was not finite.</param>
/// <param name="Eta">Estimated time to the end of the last planned epoch (training only, without validation), or
/// null before the first step of this process has been timed.</param>
internal sealed record TrainingProgress(
    string Stage,
    int Epoch,
    int MaxEpochs,
    long Step,
    long TotalSteps,
    double Loss,
    double Lambda,
    double LearningRate,
    int SkippedSteps,
    TimeSpan? Eta);
