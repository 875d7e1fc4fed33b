namespace Soft.Training;

/// <summary>What the training steps of one epoch did, before validation and checkpointing.</summary>
/// <param name="Steps">Optimizer steps run, skipped ones included.</param>
/// <param name="Skipped">Steps skipped for a non-finite loss or gradient norm.</param>
/// <param name="Consecutive">Non-finite steps in a row at the end of the epoch (the streak carries into the next).</param>
/// <param name="LearningRate">The rate of the last step.</param>
/// <param name="CombinedLoss">Mean optimised loss over the applied steps, weighted by pairs; NaN when none was applied.</param>
/// <param name="RealLoss">Mean L_real over the applied steps (0 when λ was 1 everywhere).</param>
/// <param name="DistilledLoss">Mean L_distilled over the applied steps (0 when λ was 0 everywhere).</param>
/// <param name="Diverged">The epoch ended early on a streak of non-finite steps.</param>
internal sealed record EpochOutcome(int Steps, int Skipped, int Consecutive, double LearningRate, double CombinedLoss, double RealLoss, double DistilledLoss, bool Diverged);
