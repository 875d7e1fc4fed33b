using Soft.Models.Lora;

namespace Soft.Training;

/// <summary>
/// Every knob of a training stage (SFT, SOFT, a variant) in one flat object, in the spirit of Hugging Face
/// <c>TrainingArguments</c>. Checked when the pipeline is built; a value out of range names its property.
/// </summary>
/// <remarks>
/// The defaults are the SOFT reference's values (see <see cref="Soft.Pipeline.SoftPresets.Paper"/>) wherever the reference fixes one, and
/// Hugging Face <c>TrainingArguments</c> defaults elsewhere (Adam betas and ε, gradient clipping at 1). Compared
/// with plain SFT recipes, note the constant schedule (not cosine), the early stopping on HR@10 and the LoRA adapter
/// on <c>q_proj</c>/<c>v_proj</c> only.
/// </remarks>
public sealed class TrainingOptions
{
    // Optimizer

    /// <summary>Peak learning rate of AdamW. Default value is 1e-4, the reference's value. Finite and above 0.</summary>
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>
    /// Optimizer steps of linear warm-up from 0 to <see cref="LearningRate"/>. Default value is 20, the reference's
    /// value. As in Hugging Face, the first step of a warm-up runs at rate 0.
    /// </summary>
    public int WarmupSteps { get; set; } = 20;

    /// <summary>
    /// Shape of the rate after warm-up. Default value is <see cref="LearningRateSchedule.ConstantWithWarmup"/>, the
    /// reference's schedule.
    /// </summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.ConstantWithWarmup;

    /// <summary>
    /// Decoupled weight decay of AdamW, applied to matrices only (biases and norm gains are never decayed, the Hugging
    /// Face convention). Default value is 0, Hugging Face <c>TrainingArguments</c>' default (the reference trains with
    /// the Hugging Face Trainer and sets no decay).
    /// </summary>
    public double WeightDecay { get; set; }

    /// <summary>AdamW's β1. Default value is 0.9 (Hugging Face and PyTorch). In [0, 1).</summary>
    public double AdamBeta1 { get; set; } = 0.9;

    /// <summary>
    /// AdamW's β2. Default value is 0.999 (Hugging Face and PyTorch). In [0, 1). Set explicitly because TorchSharp's
    /// <c>torch.optim.AdamW</c> factory defaults to 0.99.
    /// </summary>
    public double AdamBeta2 { get; set; } = 0.999;

    /// <summary>AdamW's ε. Default value is 1e-8 (Hugging Face and PyTorch). Finite and above 0.</summary>
    public double AdamEpsilon { get; set; } = 1e-8;

    /// <summary>
    /// Largest L2 norm of all gradients together; larger gradients are scaled down to it before the step. 0 turns
    /// clipping off. Default value is 1, Hugging Face <c>TrainingArguments</c>' default, under which the reference's
    /// Trainer runs.
    /// </summary>
    public double MaxGradNorm { get; set; } = 1;

    // Batches and epochs

    /// <summary>Most epochs of a stage. Default value is 7, the reference's value. At least 1.</summary>
    public int MaxEpochs { get; set; } = 7;

    /// <summary>
    /// Training pairs per forward pass, chosen for memory and speed. Default value is 16. At least 1 and a divisor of
    /// <see cref="EffectiveBatchSize"/>. The loss is a mean over the target tokens of each micro-batch (as in the
    /// Hugging Face Trainer), so the split also shifts the weighting of long and short targets slightly.
    /// </summary>
    public int MicroBatchSize { get; set; } = 16;

    /// <summary>
    /// Training pairs per optimizer step; the gradients of <see cref="EffectiveBatchSize"/> / <see cref="MicroBatchSize"/>
    /// micro-batches are accumulated. Default value is 256, the reference's value. The last step of an epoch may hold
    /// fewer pairs.
    /// </summary>
    public int EffectiveBatchSize { get; set; } = 256;

    /// <summary>Micro-batches accumulated per optimizer step: <see cref="EffectiveBatchSize"/> / <see cref="MicroBatchSize"/>.</summary>
    public int GradientAccumulationSteps => MicroBatchSize > 0 ? EffectiveBatchSize / MicroBatchSize : 0;

    // Validation and stopping

    /// <summary>
    /// The validation metric that picks the best epoch and drives early stopping, by the name the validation
    /// callback returns. Default value is <c>"HR@10"</c>, the reference's choice.
    /// </summary>
    public string MetricName { get; set; } = "HR@10";

    /// <summary>Whether a larger <see cref="MetricName"/> is better. Default value is true (hit rates, NDCG).</summary>
    public bool GreaterIsBetter { get; set; } = true;

    /// <summary>
    /// Stop after this many epochs in a row without a better validation metric; 0 turns early stopping off. Default
    /// value is 2, the reference's value.
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = 2;

    /// <summary>
    /// Stop the stage after this many optimizer steps in a row whose loss or gradient norm was NaN or infinite (each
    /// such step is skipped). Default value is 5: a few isolated bad batches are survivable, a streak means divergence.
    /// At least 1.
    /// </summary>
    public int MaxConsecutiveNonFiniteSteps { get; set; } = 5;

    // Model and reproducibility

    /// <summary>
    /// The LoRA adapter a stage trains (a fresh one per stage), or null for full fine-tuning of every parameter.
    /// Default value is the reference's adapter: r 8, alpha 16, dropout 0.05 on <c>q_proj</c> and <c>v_proj</c>.
    /// </summary>
    public LoraOptions? Lora { get; set; } = new();

    /// <summary>
    /// An override of the seed of the adapter's initialisation, the per-epoch shuffles and the per-epoch torch
    /// generator (dropout). Default value is null: a pipeline run uses its one seed (<c>SoftOptions.Seed</c>); a
    /// trainer used on its own uses <see cref="Runtime.SoftRandom.DefaultSeed"/>. Set it only to vary training
    /// alone, with everything else of the run fixed.
    /// </summary>
    public long? Seed { get; set; }

    /// <summary>A deep copy, so that later changes to this object (or its LoRA options) do not reach the copy.</summary>
    /// <returns>A new options object with the same values.</returns>
    public TrainingOptions Clone()
    {
        var copy = (TrainingOptions)MemberwiseClone();
        copy.Lora = Lora?.Clone();
        return copy;
    }
}
