using Soft.Curriculum;
using Soft.Models;
using Soft.Runs;

namespace Soft.Training;

/// <summary>
/// One stage for <see cref="CurriculumTrainer"/> to train: the model, the data, the curriculum, the callbacks that
/// measure the model, and where the artifacts go. SFT, SOFT and the ablation differ only in
/// <see cref="Scheduler"/> and <see cref="DistilledPairs"/>.
/// </summary>
internal sealed class TrainingJob
{
    /// <summary>
    /// The model with its base weights and no adapter yet. With <see cref="TrainingOptions.Lora"/> set the trainer
    /// injects a fresh adapter into it; otherwise it trains every parameter in place. After training the model holds
    /// the best epoch's weights.
    /// </summary>
    public required ITrainableLanguageModel Model { get; init; }

    /// <summary>The training prompts with their real targets (D).</summary>
    public required IReadOnlyList<PromptTarget> RealPairs { get; init; }

    /// <summary>
    /// The same prompts, in the same order, with the distilled targets (D̂); required whenever the scheduler gives
    /// λ &gt; 0, unused for plain SFT.
    /// </summary>
    public IReadOnlyList<PromptTarget>? DistilledPairs { get; init; }

    /// <summary>
    /// Soft-label self-distillation: per prompt (same order as <see cref="RealPairs"/>), the distribution the
    /// distilled term is trained towards instead of <see cref="DistilledPairs"/>' one target. Null trains on the
    /// distilled targets, as the paper does.
    /// </summary>
    public IReadOnlyList<SoftTarget>? DistilledSoftTargets { get; init; }

    /// <summary>Chooses λ for every epoch (λ = 0 everywhere is plain SFT, λ = 1 the ablation without adaptation).</summary>
    public required ICurriculumScheduler Scheduler { get; init; }

    /// <summary>
    /// Measures the mean grounded distance d of the model on a fixed sample (the evaluator provides it). Called once
    /// before epoch 1 for d_0 and after every epoch, only when <see cref="ICurriculumScheduler.RequiresDistance"/>
    /// is true, in which case it is required. It must be deterministic for resumed runs to equal uninterrupted ones.
    /// </summary>
    public Func<ILanguageModel, CancellationToken, double>? Distance { get; init; }

    /// <summary>
    /// Measures validation metrics after every epoch, for example <c>HR@10</c>; the metric named by
    /// <see cref="TrainingOptions.MetricName"/> picks the best epoch and drives early stopping. When null the last
    /// epoch counts as the best and there is no early stopping.
    /// </summary>
    public Func<ILanguageModel, CancellationToken, IReadOnlyDictionary<string, double>>? Validate { get; init; }

    /// <summary>The run folder that receives <c>&lt;stage&gt;/epoch-N/</c>, <c>&lt;stage&gt;/best/</c> and the curriculum log.</summary>
    public required RunFolder RunFolder { get; init; }

    /// <summary>The stage's name and folder inside the run, for example <c>sft</c> or <c>soft</c>: letters, digits, '-', '_' and '.'.</summary>
    public required string Stage { get; init; }
}
