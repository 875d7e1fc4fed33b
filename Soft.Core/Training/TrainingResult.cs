using Soft.Curriculum;
using Soft.Models.Lora;

namespace Soft.Training;

/// <summary>What a stage of <see cref="CurriculumTrainer"/> produced; the model then holds the best epoch's weights.</summary>
internal sealed class TrainingResult
{
    /// <summary>The stage's name.</summary>
    public required string Stage { get; init; }

    /// <summary>Why training stopped.</summary>
    public required TrainingStopReason StopReason { get; init; }

    /// <summary>
    /// The epoch whose weights the model now holds: the best by the validation metric, or the last finished epoch when
    /// there is no validation. Null only when no epoch finished (the stage diverged in epoch 1).
    /// </summary>
    public int? BestEpoch { get; init; }

    /// <summary>The validation metric of <see cref="BestEpoch"/>, or null when not measured.</summary>
    public double? BestMetric { get; init; }

    /// <summary>The name of the metric that picked the best epoch.</summary>
    public required string MetricName { get; init; }

    /// <summary>Every finished epoch, in order.</summary>
    public required IReadOnlyList<EpochRecord> Epochs { get; init; }

    /// <summary>d_0 and the finished epochs as the scheduler saw them.</summary>
    public required CurriculumHistory History { get; init; }

    /// <summary>
    /// Absolute path of <c>&lt;stage&gt;/best/</c>, the copy of the best epoch's weights (a PEFT adapter folder, or a
    /// Hugging Face model folder for full fine-tuning); null when no epoch finished.
    /// </summary>
    public string? BestFolder { get; init; }

    /// <summary>Parameter elements that were trained.</summary>
    public required long TrainableParameters { get; init; }

    /// <summary>Parameter elements of the model, adapters included.</summary>
    public required long TotalParameters { get; init; }

    /// <summary>Optimizer steps skipped over the whole stage because the loss or gradient norm was not finite.</summary>
    public int SkippedSteps { get; init; }

    /// <summary>
    /// True when the run folder already held the finished stage, so nothing was trained and the best weights were
    /// only loaded.
    /// </summary>
    public bool ReusedFromRunFolder { get; init; }

    /// <summary>
    /// The adapter now in the model (null for full fine-tuning). Call <see cref="LoraAdapter.Unload"/> to get the base
    /// model back for another stage, or <see cref="LoraAdapter.MergeAndUnload"/> for a merged checkpoint.
    /// </summary>
    public LoraAdapter? Adapter { get; init; }
}
