namespace Soft.Models.Scratch;

/// <summary>One optimiser step of <see cref="CatalogPretrainer"/>.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Steps">Steps in the run.</param>
/// <param name="Loss">Mean next-token cross-entropy of the step's batch, before the update.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="Elapsed">Time since the first step started.</param>
/// <param name="Validation">The validation metric measured after this step, when one was.</param>
internal sealed record PretrainingProgress(int Step, int Steps, double Loss, double LearningRate, TimeSpan Elapsed, double? Validation = null);
