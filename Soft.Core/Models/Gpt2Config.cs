using System.Text.Json.Serialization;

namespace Soft.Models;

/// <summary>Hugging Face <c>GPT2Config</c>; property names follow <c>config.json</c>, defaults are GPT-2 small's.</summary>
public sealed class Gpt2Config : ModelConfig
{
    /// <summary>Learned position table size (longest sequence).</summary>
    [JsonPropertyName("n_positions")]
    public int NPositions { get; set; } = 1024;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("n_embd")]
    public int NEmbd { get; set; } = 768;

    /// <summary>Number of blocks.</summary>
    [JsonPropertyName("n_layer")]
    public int NLayer { get; set; } = 12;

    /// <summary>Attention heads.</summary>
    [JsonPropertyName("n_head")]
    public int NHead { get; set; } = 12;

    /// <summary>MLP inner width; null means 4 × n_embd.</summary>
    [JsonPropertyName("n_inner")]
    public int? NInner { get; set; }

    /// <summary>MLP activation: <c>gelu_new</c> (tanh approximation, GPT-2's), <c>gelu_pytorch_tanh</c>, <c>gelu</c> or <c>relu</c>.</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; set; } = "gelu_new";

    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public double LayerNormEpsilon { get; set; } = 1e-5;

    /// <summary>Dropout after each residual branch (training only).</summary>
    [JsonPropertyName("resid_pdrop")]
    public double ResidPdrop { get; set; } = 0.1;

    /// <summary>Dropout on embeddings (training only).</summary>
    [JsonPropertyName("embd_pdrop")]
    public double EmbdPdrop { get; set; } = 0.1;

    /// <summary>Dropout on attention probabilities (training only).</summary>
    [JsonPropertyName("attn_pdrop")]
    public double AttnPdrop { get; set; } = 0.1;

    /// <summary>Scale attention scores by 1/√head_dim; must be true here.</summary>
    [JsonPropertyName("scale_attn_weights")]
    public bool ScaleAttnWeights { get; set; } = true;

    /// <summary>Extra 1/(layer+1) score scaling; must be false here.</summary>
    [JsonPropertyName("scale_attn_by_inverse_layer_idx")]
    public bool ScaleAttnByInverseLayerIdx { get; set; }

    /// <summary>Mixed-precision attention variant; must be false here.</summary>
    [JsonPropertyName("reorder_and_upcast_attn")]
    public bool ReorderAndUpcastAttn { get; set; }

    /// <summary>GPT-2 ties its LM head to <c>wte</c>; an untied GPT-2 is not supported.</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; } = true;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int LayerCount => NLayer;

    /// <inheritdoc />
    [JsonIgnore]
    public override int MaxPositions => NPositions;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int HiddenSize => NEmbd;

    /// <inheritdoc/>
    [JsonIgnore]
    public override bool TiedEmbeddings => TieWordEmbeddings;

    /// <summary>MLP inner width in force.</summary>
    [JsonIgnore]
    public int InnerSize => NInner ?? 4 * NEmbd;

    /// <inheritdoc/>
    public override void Validate()
    {
        Require(VocabSize > 0, "vocab_size", $"must be positive, got {VocabSize}.");
        Require(NEmbd > 0, "n_embd", $"must be positive, got {NEmbd}.");
        Require(NLayer > 0, "n_layer", $"must be positive, got {NLayer}.");
        Require(NHead > 0 && NEmbd % NHead == 0, "n_head", $"({NHead}) must be positive and divide n_embd ({NEmbd}).");
        Require(NPositions > 0, "n_positions", $"must be positive, got {NPositions}.");
        Require(InnerSize > 0, "n_inner", $"must be positive, got {InnerSize}.");
        Require(LayerNormEpsilon > 0, "layer_norm_epsilon", $"must be positive, got {LayerNormEpsilon}.");
        Require(ActivationFunction is "gelu_new" or "gelu_pytorch_tanh" or "gelu" or "relu", "activation_function",
            $"is '{ActivationFunction}'; supported: gelu_new, gelu_pytorch_tanh, gelu, relu.");
        Require(ScaleAttnWeights, "scale_attn_weights", "is false; only scaled attention is supported.");
        Require(!ScaleAttnByInverseLayerIdx, "scale_attn_by_inverse_layer_idx", "is true; not supported.");
        Require(!ReorderAndUpcastAttn, "reorder_and_upcast_attn", "is true; not supported.");
        Require(TieWordEmbeddings, "tie_word_embeddings", "is false; GPT-2 is supported with a tied head only.");
        foreach (var (name, p) in new[] { ("resid_pdrop", ResidPdrop), ("embd_pdrop", EmbdPdrop), ("attn_pdrop", AttnPdrop) })
            Require(p is >= 0 and < 1, name, $"must be in [0, 1), got {p}.");
    }
}
