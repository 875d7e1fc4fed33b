using Soft.Models.Lora;
using Soft.Models.Scratch;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// The named starting points of a run, the one place presets live: <see cref="Paper"/> and <see cref="Cpu"/> are
/// whole <see cref="SoftOptions"/> (both stages' <see cref="TrainingOptions"/> inside); the CPU preset's base model
/// and its pre-training are here too. <see cref="SoftTrainerBuilder.UsePreset"/> starts a run from one by name and
/// records that name in the report.
/// </summary>
public static class SoftPresets
{
    /// <summary>Name of <see cref="Paper"/>.</summary>
    public const string PaperName = "paper";

    /// <summary>Name of <see cref="Cpu"/>.</summary>
    public const string CpuName = "cpu";

    /// <summary>The <see cref="SoftOptions.Preset"/> of options that did not start from a preset.</summary>
    public const string NoneName = "none";

    /// <summary>All preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [PaperName, CpuName];

    /// <summary>
    /// The SOFT reference's values, meant for a GPU and a ~3B model: Alpaca prompts, LoRA r 8 / α 16 / dropout
    /// 0.05 on q_proj and v_proj, AdamW lr 1e-4 with 20 warm-up steps and a constant schedule, effective batch 256,
    /// up to 7 epochs with patience 2 on validation HR@10, d on 256 training prompts, α = 1 (set on the scheduler).
    /// </summary>
    public static SoftOptions Paper() => new()
    {
        Preset = PaperName,
        PromptStyle = PromptStyle.Alpaca,
        Sft = PaperStage(),
        Soft = PaperStage(),
        DistanceSamples = 256,
    };

    // The reference trains SFT and SOFT alike; a new object per stage, so that changing one leaves the other.
    private static TrainingOptions PaperStage() => new()
    {
        LearningRate = 1e-4,
        WarmupSteps = 20,
        Schedule = LearningRateSchedule.ConstantWithWarmup,
        WeightDecay = 0,
        MaxGradNorm = 1,
        MaxEpochs = 7,
        EffectiveBatchSize = 256,
        MetricName = "HR@10",
        GreaterIsBetter = true,
        EarlyStoppingPatience = 2,
        Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05, TargetModules = ["q_proj", "v_proj"] },
    };

    /// <summary>
    /// For the 2-core CPU and the embedded data, with the small base model built per run
    /// (<see cref="CpuScratchModel"/>, <see cref="CpuPretraining"/>): compact prompts, full fine-tuning (the model
    /// has ~1M parameters, so adapters would save nothing), AdamW lr 1e-3 with 10 warm-up steps, batches of 32, at
    /// most 7 epochs per stage with patience 2 (the paper's: the curriculum needs epochs for λ to travel, and SFT gets
    /// the same), and bounded validation and distance subsets, so that the whole pipeline fits in minutes.
    /// docs/BENCHMARKS.md records the runs behind these values.
    /// </summary>
    public static SoftOptions Cpu()
    {
        TrainingOptions Stage() => new()
        {
            LearningRate = 1e-3,
            WarmupSteps = 10,
            Schedule = LearningRateSchedule.ConstantWithWarmup,
            MaxGradNorm = 1,
            MaxEpochs = 7,
            MicroBatchSize = 16,
            EffectiveBatchSize = 32,
            MetricName = "HR@10",
            GreaterIsBetter = true,
            EarlyStoppingPatience = 2,
            Lora = null,
        };
        return new SoftOptions
        {
            Preset = CpuName,
            PromptStyle = PromptStyle.Compact,
            ItemTokens = true,
            Sft = Stage(),
            Soft = Stage(),
            // Exact scoring validates 512 prompts in a few forward passes; grounding would decode them.
            ValidationSamples = 512,
            DistanceSamples = 32,
            // Real catalogues (Amazon) have histories and titles the 512-position scratch model cannot hold.
            TruncateLongHistories = true,
        };
    }

    /// <summary>
    /// Shape of the base model the CPU preset builds per run when no model folder is given
    /// (<see cref="SoftTrainerBuilder.UseScratchLanguageModel"/>): 64 wide, 2 layers, 4 heads (2 KV), SwiGLU 256, the
    /// size of SASRec's usual setting. Chosen by measurement over 96 × 4 (docs/BENCHMARKS.md, "Choosing the item-token
    /// base model"): with item tokens it reaches a higher validation NDCG@10 on LastFM and ML-100K, at about half the
    /// time per step.
    /// </summary>
    public static ScratchModelOptions CpuScratchModel() => new()
    {
        HiddenSize = 64,
        Layers = 2,
        Heads = 4,
        KeyValueHeads = 2,
        IntermediateSize = 256,
        MaxPositions = 512,
    };

    /// <summary>
    /// Pre-training of the CPU preset's base model on the training sequences: batches of 32 windows of up to 128
    /// tokens, peak lr 3e-3, validated every 100 steps (about 3 passes over LastFM's training sequences) and stopped
    /// after 3 validations without a better NDCG@10, at most 3,000 steps; the best validation's weights are kept.
    /// </summary>
    public static CatalogPretrainingOptions CpuPretraining() => new()
    {
        Steps = 3000,
        BatchSize = 32,
        MaxSequenceLength = 128,
        LearningRate = 3e-3,
        WarmupSteps = 20,
        EvaluationInterval = 100,
        EarlyStoppingPatience = 3,
    };

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static SoftOptions ByName(string name) => name?.ToLowerInvariant() switch
    {
        PaperName => Paper(),
        CpuName => Cpu(),
        _ => throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", Names)}.", nameof(name)),
    };
}
