namespace Soft.Models.Scratch;

/// <summary>
/// Shape of a LLaMA-style model built from scratch (SwiGLU, RMSNorm, RoPE θ = 10000, grouped-query attention,
/// tied embeddings). Every value is checked before the model is built; a failure names the property. Start from a
/// preset: <see cref="Tiny"/>, <see cref="Small"/> or <see cref="Base"/>.
/// </summary>
/// <remarks>
/// Even with a compact vocabulary the embedding matrix dominates small models (87 % of <see cref="Tiny"/>), so the
/// parameter counts below are for LastFM's 6,792-id tokenizer; <see cref="ParameterCount"/> gives the count for any
/// vocabulary.
/// </remarks>
public sealed class ScratchModelOptions
{
    /// <summary>Width of the residual stream (<c>hidden_size</c>). Default value is 40.</summary>
    public int HiddenSize { get; set; } = 40;

    /// <summary>Decoder layers (<c>num_hidden_layers</c>). Default value is 2.</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Query heads; must divide <see cref="HiddenSize"/> into an even head width. Default value is 4.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Key/value heads (grouped-query attention); must divide <see cref="Heads"/>. Default value is 2.</summary>
    public int KeyValueHeads { get; set; } = 2;

    /// <summary>Width of the SwiGLU inner layer (<c>intermediate_size</c>). Default value is 128.</summary>
    public int IntermediateSize { get; set; } = 128;

    /// <summary>Longest sequence the model is meant for (<c>max_position_embeddings</c>). Default value is 512.</summary>
    public int MaxPositions { get; set; } = 512;

    /// <summary>Standard deviation of the normal initialisation (<c>initializer_range</c>). Default value is 0.02, as in Hugging Face.</summary>
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>
    /// An override of the seed of torch's default generator before the weights are drawn. Default value is null: a
    /// <see cref="Soft.Pipeline.SoftTrainer"/> run derives it from its one seed (<c>SoftOptions.Seed</c>, stream
    /// <c>base-model-init</c>); a model built outside a run uses <see cref="Runtime.SoftRandom.DefaultSeed"/>.
    /// </summary>
    public long? Seed { get; set; }

    /// <summary>40 wide, 2 layers, 4 heads (2 KV), SwiGLU 128: 312,200 parameters with LastFM's vocabulary. A new instance on each call.</summary>
    public static ScratchModelOptions Tiny => new();

    /// <summary>96 wide, 4 layers, 4 heads (2 KV), SwiGLU 256: 1,058,400 parameters with LastFM's vocabulary. A new instance on each call.</summary>
    public static ScratchModelOptions Small => new() { HiddenSize = 96, Layers = 4, Heads = 4, KeyValueHeads = 2, IntermediateSize = 256 };

    /// <summary>256 wide, 4 layers, 8 heads (4 KV), SwiGLU 768: 4,886,784 parameters with LastFM's vocabulary. A new instance on each call.</summary>
    public static ScratchModelOptions Base => new() { HiddenSize = 256, Layers = 4, Heads = 8, KeyValueHeads = 4, IntermediateSize = 768 };

    /// <summary>Trainable parameters of this shape with <paramref name="vocabularySize"/> ids (the tied embedding counted once).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabularySize"/> is not positive.</exception>
    public long ParameterCount(int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        long d = HiddenSize;
        long headDim = Heads > 0 ? HiddenSize / Heads : 0;
        long attention = d * Heads * headDim + 2 * d * KeyValueHeads * headDim + Heads * headDim * d;
        long mlp = 3 * d * IntermediateSize;
        long layer = attention + mlp + 2 * d; // two RMSNorm gains
        return vocabularySize * d + Layers * layer + d; // + final norm
    }

    /// <summary>The Hugging Face config of this shape for <paramref name="tokenizer"/>'s vocabulary and special ids.</summary>
    internal LlamaConfig ToConfig(CompactTokenizer tokenizer)
    {
        var config = new LlamaConfig
        {
            ModelType = "llama",
            VocabSize = tokenizer.VocabularySize,
            Hidden = HiddenSize,
            IntermediateSize = IntermediateSize,
            NumHiddenLayers = Layers,
            NumAttentionHeads = Heads,
            NumKeyValueHeads = KeyValueHeads,
            MaxPositionEmbeddings = MaxPositions,
            // LLaMA 2's value; transformers' LlamaConfig default is 1e-6.
            RmsNormEps = 1e-5,
            RopeTheta = 10000,
            TieWordEmbeddings = true,
            InitializerRange = InitializerRange,
            BosTokenId = tokenizer.BosTokenId,
            EosTokenId = tokenizer.EosTokenId,
            PadTokenId = tokenizer.PadTokenId,
            TorchDType = "float32",
        };
        // So that transformers' AutoModelForCausalLM picks the class without guessing from model_type.
        config.Extra = new() { ["architectures"] = System.Text.Json.JsonDocument.Parse("[\"LlamaForCausalLM\"]").RootElement.Clone() };
        return config;
    }
}
