using Soft.Curriculum;

namespace Soft.Pipeline;

/// <summary>
/// An extra SOFT training in the same run: a fresh adapter (or fresh weights) on the base model, trained on D and the
/// run's D̂ under another scheduler, then tested like SOFT. Variants share the run's SFT model and D̂, so an α sweep or
/// an ablation costs one training each and compares methods on identical inputs.
/// </summary>
/// <param name="Name">Method name in the report, e.g. <c>SOFT (α=10)</c>; unique within the run.</param>
/// <param name="Scheduler">The curriculum of this variant.</param>
/// <param name="SoftLabels">
/// Train the distilled term towards D̂'s soft labels (the SFT model's next-item distribution,
/// <see cref="Distillation.DistilledExample.SoftLabels"/>) instead of its top answer; needs item tokens.
/// </param>
/// <param name="SoftLabelTemperature">
/// With <paramref name="SoftLabels"/>, the temperature T the kept probabilities are raised to 1/T with before they are
/// renormalised: 1 (the default) learns the SFT model's distribution as it is, T &gt; 1 a flatter one that weighs the
/// items it ranks below its top answer more (Hinton et al.'s distillation temperature, applied to the targets only). A
/// positive finite number; other than 1 only with soft labels.
/// </param>
public sealed record CurriculumVariant(string Name, ICurriculumScheduler Scheduler, bool SoftLabels = false, double SoftLabelTemperature = 1);
