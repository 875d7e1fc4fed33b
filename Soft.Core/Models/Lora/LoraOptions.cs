namespace Soft.Models.Lora;

/// <summary>
/// Hyperparameters of a LoRA adapter, named after PEFT's <c>LoraConfig</c> so that an adapter saved by Soft reads the
/// same in Python. Every value is checked before any module is touched; a failure names the property.
/// </summary>
/// <remarks>
/// The defaults are those of the SOFT reference code (r 8, alpha 16, dropout 0.05 on <c>q_proj</c> and
/// <c>v_proj</c>), which are also PEFT's default targets for LLaMA and Qwen2.
/// </remarks>
public sealed class LoraOptions
{
    /// <summary>Rank r of the update B·A (PEFT <c>r</c>); at least 1. Default value is 8.</summary>
    public int Rank { get; set; } = 8;

    /// <summary>
    /// Numerator of the scaling alpha / r applied to the update (PEFT <c>lora_alpha</c>); finite and above 0.
    /// Default value is 16.
    /// </summary>
    public double Alpha { get; set; } = 16;

    /// <summary>
    /// Dropout probability on the adapter's input, applied only in training mode (PEFT <c>lora_dropout</c>); in [0, 1).
    /// Default value is 0.05.
    /// </summary>
    public double Dropout { get; set; } = 0.05;

    /// <summary>
    /// Names of the <c>Linear</c> modules to adapt (PEFT <c>target_modules</c> as a list). A module matches when its
    /// full path equals an entry or ends with "." followed by the entry, so <c>q_proj</c> matches
    /// <c>model.layers.0.self_attn.q_proj</c> and <c>self_attn.q_proj</c> works too. Ignored when
    /// <see cref="TargetModulesPattern"/> is set. Default value is <c>q_proj</c>, <c>v_proj</c>.
    /// </summary>
    public IList<string> TargetModules { get; set; } = ["q_proj", "v_proj"];

    /// <summary>
    /// A regular expression that must match a module's whole path (PEFT <c>target_modules</c> given as a string,
    /// matched with <c>re.fullmatch</c>). When set it replaces <see cref="TargetModules"/>. Default value is null.
    /// </summary>
    public string? TargetModulesPattern { get; set; }

    /// <summary>
    /// Value written as PEFT's <c>fan_in_fan_out</c>: true when the checkpoint the base model came from stores the
    /// targeted weights as <c>[in, out]</c>, as Hugging Face GPT-2's <c>Conv1D</c> (<c>c_attn</c>, <c>c_proj</c>,
    /// <c>c_fc</c>) does. Default value is false.
    /// </summary>
    /// <remarks>
    /// Soft always holds the base weight as a <c>Linear</c> <c>[out, in]</c> (GPT-2 weights are transposed when
    /// loaded), so this flag changes nothing in Soft's arithmetic. It only tells PEFT how to merge. PEFT sizes
    /// <c>lora_A</c> as <c>[r, in]</c> and <c>lora_B</c> as <c>[out, r]</c> for <c>Conv1D</c> as well, so the saved
    /// shapes are the same either way.
    /// </remarks>
    public bool FanInFanOut { get; set; }

    /// <summary>
    /// Hub id or path of the base model, written as PEFT's <c>base_model_name_or_path</c> so that
    /// <c>PeftModel.from_pretrained</c> can find it. Default value is null.
    /// </summary>
    public string? BaseModelNameOrPath { get; set; }

    /// <summary>
    /// Token ids whose rows of the input embedding and of the output head train alongside the adapter, the base rows
    /// staying frozen (PEFT <c>trainable_token_indices</c>); null for none. A LoRA run with item tokens lists the item
    /// tokens here, so that the new rows learn. Saved as PEFT's dictionary form: the embedding's module name (and
    /// <c>lm_head</c> when the head is not tied) with these ids. Default value is null.
    /// </summary>
    public IList<int>? TrainableTokenIndices { get; set; }

    /// <summary>Alpha divided by rank: the factor applied to B·A.</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>
    /// Options for Hugging Face GPT-2 checkpoints: PEFT's default target for GPT-2 (<c>c_attn</c>, the fused
    /// query/key/value projection) with <see cref="FanInFanOut"/> set, and the other values at their defaults.
    /// </summary>
    /// <returns>A new options object.</returns>
    public static LoraOptions ForGpt2() => new() { TargetModules = ["c_attn"], FanInFanOut = true };

    /// <summary>Copies these options, so that later changes to the copy's target list do not reach this object.</summary>
    /// <returns>A new options object with the same values.</returns>
    public LoraOptions Clone() => new()
    {
        Rank = Rank,
        Alpha = Alpha,
        Dropout = Dropout,
        TargetModules = [.. TargetModules ?? []],
        TargetModulesPattern = TargetModulesPattern,
        FanInFanOut = FanInFanOut,
        BaseModelNameOrPath = BaseModelNameOrPath,
        TrainableTokenIndices = TrainableTokenIndices is null ? null : [.. TrainableTokenIndices],
    };
}
