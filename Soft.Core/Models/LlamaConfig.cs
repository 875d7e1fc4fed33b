using System.Text.Json.Serialization;

namespace Soft.Models;

/// <summary>
/// Hugging Face config of the LLaMA family (<c>llama</c>, <c>mistral</c> without sliding window, <c>qwen2</c>).
/// Property names follow <c>config.json</c>; defaults are those of transformers' <c>LlamaConfig</c>.
/// </summary>
public sealed class LlamaConfig : ModelConfig
{
    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("hidden_size")]
    public int Hidden { get; set; }

    /// <summary>Width of the SwiGLU inner layer.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; set; }

    /// <summary>Number of decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; set; }

    /// <summary>Query heads.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; set; }

    /// <summary>Key/value heads (grouped-query attention); null means one per query head.</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int? NumKeyValueHeads { get; set; }

    /// <summary>Width of one head; null means hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")]
    public int? HeadDimension { get; set; }

    /// <summary>Longest sequence the positions were trained for (informational for RoPE).</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; set; } = 2048;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")]
    public double RmsNormEps { get; set; } = 1e-6;

    /// <summary>RoPE base.</summary>
    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; set; } = 10000.0;

    /// <summary>RoPE frequency scaling; null for none.</summary>
    [JsonPropertyName("rope_scaling")]
    public RopeScaling? RopeScaling { get; set; }

    /// <summary>Whether the LM head is the transposed token embedding (one shared parameter).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; }

    /// <summary>LLaMA: biases on q/k/v/o projections. (Qwen2 always has q/k/v biases and no o bias.)</summary>
    [JsonPropertyName("attention_bias")]
    public bool AttentionBias { get; set; }

    /// <summary>Biases on the MLP projections.</summary>
    [JsonPropertyName("mlp_bias")]
    public bool MlpBias { get; set; }

    /// <summary>MLP activation; only <c>silu</c> (SwiGLU) is supported.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; set; } = "silu";

    /// <summary>Dropout on attention probabilities during training.</summary>
    [JsonPropertyName("attention_dropout")]
    public double AttentionDropout { get; set; }

    /// <summary>Qwen2/Mistral sliding-window attention; must be off (or wider than any sequence) here.</summary>
    [JsonPropertyName("use_sliding_window")]
    public bool UseSlidingWindow { get; set; }

    /// <inheritdoc/>
    [JsonIgnore]
    public override int LayerCount => NumHiddenLayers;

    /// <inheritdoc />
    [JsonIgnore]
    public override int MaxPositions => MaxPositionEmbeddings;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int HiddenSize => Hidden;

    /// <inheritdoc/>
    [JsonIgnore]
    public override bool TiedEmbeddings => TieWordEmbeddings;

    /// <summary>Key/value heads in force.</summary>
    [JsonIgnore]
    public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    /// <summary>Head width in force.</summary>
    [JsonIgnore]
    public int HeadDim => HeadDimension ?? (NumAttentionHeads > 0 ? Hidden / NumAttentionHeads : 0);

    /// <summary>Qwen2 puts biases on q/k/v only; LLaMA's attention_bias puts them on all four projections.</summary>
    [JsonIgnore]
    internal bool QkvBias => ModelType == "qwen2" || AttentionBias;

    /// <summary>Whether o_proj has a bias.</summary>
    [JsonIgnore]
    internal bool OutputBias => ModelType != "qwen2" && AttentionBias;

    /// <inheritdoc/>
    public override void Validate()
    {
        Require(VocabSize > 0, "vocab_size", $"must be positive, got {VocabSize}.");
        Require(Hidden > 0, "hidden_size", $"must be positive, got {Hidden}.");
        Require(IntermediateSize > 0, "intermediate_size", $"must be positive, got {IntermediateSize}.");
        Require(NumHiddenLayers > 0, "num_hidden_layers", $"must be positive, got {NumHiddenLayers}.");
        Require(NumAttentionHeads > 0, "num_attention_heads", $"must be positive, got {NumAttentionHeads}.");
        Require(KeyValueHeads > 0 && NumAttentionHeads % KeyValueHeads == 0, "num_key_value_heads",
            $"({KeyValueHeads}) must be positive and divide num_attention_heads ({NumAttentionHeads}).");
        Require(HeadDimension is not null || Hidden % NumAttentionHeads == 0, "num_attention_heads",
            $"({NumAttentionHeads}) must divide hidden_size ({Hidden}) when head_dim is absent.");
        Require(HeadDim > 0 && HeadDim % 2 == 0, "head_dim", $"must be a positive even number (rotary halves), got {HeadDim}.");
        Require(RmsNormEps > 0, "rms_norm_eps", $"must be positive, got {RmsNormEps}.");
        Require(RopeTheta > 0, "rope_theta", $"must be positive, got {RopeTheta}.");
        Require(HiddenAct == "silu", "hidden_act", $"is '{HiddenAct}'; only 'silu' (SwiGLU) is supported.");
        Require(!UseSlidingWindow, "use_sliding_window", "is true; sliding-window attention is not supported.");
        Require(AttentionDropout is >= 0 and < 1, "attention_dropout", $"must be in [0, 1), got {AttentionDropout}.");
        if (RopeScaling is { } s)
        {
            Require(s.Kind is "default" or "linear" or "llama3", "rope_scaling.rope_type", $"is '{s.Kind}'; supported: default, linear, llama3.");
            Require(s.Factor > 0, "rope_scaling.factor", $"must be positive, got {s.Factor}.");
            if (s.Kind == "llama3")
            {
                Require(s.HighFreqFactor > s.LowFreqFactor && s.LowFreqFactor > 0, "rope_scaling.high_freq_factor",
                    $"({s.HighFreqFactor}) must exceed low_freq_factor ({s.LowFreqFactor}) > 0.");
                Require(s.OriginalMaxPositionEmbeddings > 0, "rope_scaling.original_max_position_embeddings", "must be positive.");
            }
        }
    }
}
