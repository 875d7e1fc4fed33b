using Soft.Runtime;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// Everything a SOFT run needs to know besides its parts (model, data, scheduler, distiller, evaluators): one flat
/// options object in the manner of Hugging Face's <c>TrainingArguments</c>. Start from a preset
/// (<see cref="SoftPresets.Paper"/> or <see cref="SoftPresets.Cpu"/>) and change what you need.
/// </summary>
public sealed class SoftOptions
{
    /// <summary>
    /// Name of the preset the run started from, recorded in the report: set by <see cref="SoftTrainerBuilder.UsePreset"/>
    /// (and by <see cref="SoftPresets"/>), not by hand, so that it cannot name values the run did not start from;
    /// <see cref="SoftPresets.NoneName"/> when no preset was used. Changes made after the preset do not alter it:
    /// config.json holds every value, and the name keeps its serialized form so that existing run folders resume.
    /// </summary>
    public string Preset { get; internal set; } = SoftPresets.NoneName;

    /// <summary>The one seed every random choice derives from; defaults to 42 (the reference's).</summary>
    public long Seed { get; set; } = 42;

    /// <summary>libtorch threads; null keeps libtorch's choice. Fix it for reproducible numbers.</summary>
    public int? Threads { get; set; }

    /// <summary>
    /// Where the run computes, the one device setting of a run: every model the pipeline loads lives there. Defaults
    /// to CUDA when available, else the CPU.
    /// </summary>
    public DevicePreference Device { get; set; } = DevicePreference.Auto;

    /// <summary>Prompt template; defaults to <see cref="PromptStyle.Compact"/> (the paper preset uses Alpaca).</summary>
    public PromptStyle PromptStyle { get; set; } = PromptStyle.Compact;

    /// <summary>
    /// Give every catalogue item its own token (<c>&lt;item_17&gt;</c>, a Hugging Face added token) and write history
    /// items and targets as those tokens: the base model gains one embedding row per item (the mean of its title
    /// pieces), and a recommendation is one token instead of a spelled title. A stage with LoRA
    /// (<see cref="TrainingOptions.Lora"/>) also trains the item rows of <c>embed_tokens</c> (and of an untied
    /// <c>lm_head</c>), the base rows frozen (<see cref="Models.Lora.LoraOptions.TrainableTokenIndices"/>, PEFT's
    /// <c>trainable_token_indices</c>). Defaults to false (titles).
    /// </summary>
    public bool ItemTokens { get; set; }

    /// <summary>Training settings of the SFT stage (the "Tuning-Only" baseline, BIGRec).</summary>
    public TrainingOptions Sft { get; set; } = new();

    /// <summary>Training settings of the SOFT stage (fresh adapter on the base model, curriculum over D and D̂).</summary>
    public TrainingOptions Soft { get; set; } = new();

    /// <summary>
    /// How many samples of the dataset's validation split the run validates on: after every epoch for early stopping,
    /// and in the pre-training of a base model built per run (256 there when null). A seeded subset the run draws, so
    /// it bounds the cost per epoch without changing the data; null uses the whole split. The split's own size is the
    /// data's setting, <see cref="Data.DatasetOptions.ValidSubset"/>; with its default of 512, the CPU preset's 512
    /// keeps all of it.
    /// </summary>
    public int? ValidationSamples { get; set; }

    /// <summary>Training prompts in the fixed, seeded sample on which d_k is measured; defaults to 256 (the reference).</summary>
    public int DistanceSamples { get; set; } = 256;

    /// <summary>Also evaluate the untuned base model, prompted ("Guidance-only"); defaults to true.</summary>
    public bool EvaluateBaseModel { get; set; } = true;

    /// <summary>
    /// Name of the evaluator used for validation during training and for the distance d_k (when it measures
    /// distances); null uses the first one registered.
    /// </summary>
    public string? ValidationEvaluator { get; set; }

    /// <summary>
    /// What to do with a sample whose prompt + target + EOS + the longest catalogue title (the answer generation may
    /// write) does not fit the model's <c>max_position_embeddings</c>: false (default) refuses the run before any work
    /// with <see cref="ContextLengthExceededException"/> naming the sample and the lengths; true drops the oldest
    /// history items of such samples until they fit. The CPU preset sets it.
    /// </summary>
    public bool TruncateLongHistories { get; set; }

    /// <summary>
    /// When set, each history title in a prompt is cut to this many tokens (completions keep the whole title), which
    /// bounds the prompt length, and so the memory of a batch, for catalogues with long titles. Default: null (whole
    /// titles).
    /// </summary>
    public int? MaxHistoryTitleTokens { get; set; }

    /// <summary>Overwrites every setting with <paramref name="other"/>'s (deep); keep in step with the properties above.</summary>
    internal void CopyFrom(SoftOptions other)
    {
        Preset = other.Preset;
        Seed = other.Seed;
        Threads = other.Threads;
        Device = other.Device;
        PromptStyle = other.PromptStyle;
        ItemTokens = other.ItemTokens;
        Sft = other.Sft.Clone();
        Soft = other.Soft.Clone();
        ValidationSamples = other.ValidationSamples;
        DistanceSamples = other.DistanceSamples;
        EvaluateBaseModel = other.EvaluateBaseModel;
        ValidationEvaluator = other.ValidationEvaluator;
        TruncateLongHistories = other.TruncateLongHistories;
        MaxHistoryTitleTokens = other.MaxHistoryTitleTokens;
    }

    /// <summary>A deep copy.</summary>
    public SoftOptions Clone()
    {
        var copy = (SoftOptions)MemberwiseClone();
        copy.Sft = Sft.Clone();
        copy.Soft = Soft.Clone();
        return copy;
    }
}
