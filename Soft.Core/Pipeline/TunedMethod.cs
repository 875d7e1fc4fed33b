using Soft.Curriculum;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// A method the run fine-tunes and tests: SFT, SOFT, or a variant. They differ only in their curriculum, their
/// training settings and whether they learn from D̂, so one training path serves all of them.
/// </summary>
/// <param name="Name">The report name (<see cref="Reporting.ReportMethodNames"/> or the variant's).</param>
/// <param name="Stage">The training stage, which is also its folder in the run.</param>
/// <param name="Scheduler">λ per epoch; SFT's is <see cref="FixedScheduler"/>(0).</param>
/// <param name="Options">The stage's training settings.</param>
/// <param name="UsesDistilled">Trains on D̂ as well as D (every method but SFT).</param>
/// <param name="SoftLabels">The distilled term learns D̂'s soft labels instead of its top answers.</param>
/// <param name="SoftLabelTemperature">The soft labels' temperature (<see cref="CurriculumVariant.SoftLabelTemperature"/>).</param>
internal sealed record TunedMethod(string Name, StageKey Stage, ICurriculumScheduler Scheduler, TrainingOptions Options, bool UsesDistilled, bool SoftLabels = false, double SoftLabelTemperature = 1);
