namespace Soft.Baselines;

/// <summary>
/// Settings of the SASRec baseline (Kang and McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018),
/// trained with full-softmax cross-entropy over the catalogue, which is stronger than the original sampled
/// binary loss at this scale (Klenitskiy and Vasilev, RecSys 2023).
/// </summary>
public sealed class SasRecOptions
{
    /// <summary>Embedding and hidden size; 64 by default.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Number of self-attention blocks; 2 by default.</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads per block; must divide <see cref="HiddenSize"/>; 2 by default.</summary>
    public int Heads { get; set; } = 2;

    /// <summary>Dropout on embeddings, attention and feed-forward outputs; 0.2 by default.</summary>
    public double Dropout { get; set; } = 0.2;

    /// <summary>Longest history the model reads (older items are dropped); 10 by default, the SOFT window.</summary>
    public int MaxLength { get; set; } = 10;

    /// <summary>Upper bound on training epochs; 200 by default (early stopping usually ends sooner).</summary>
    public int MaxEpochs { get; set; } = 200;

    /// <summary>Epochs without a better validation NDCG@10 before training stops; 10 by default.</summary>
    public int EarlyStoppingPatience { get; set; } = 10;

    /// <summary>Examples per optimiser step; 128 by default.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>AdamW learning rate; 1e-3 by default.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>AdamW weight decay; 0 by default.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Seed for initialisation, dropout and shuffling; 42 by default.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(HiddenSize > 0, nameof(HiddenSize), HiddenSize);
        Require(Layers > 0, nameof(Layers), Layers);
        Require(Heads > 0 && HiddenSize % Heads == 0, nameof(Heads), Heads, $"must be positive and divide HiddenSize ({HiddenSize})");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "must lie in [0, 1)");
        Require(MaxLength > 0, nameof(MaxLength), MaxLength);
        Require(MaxEpochs > 0, nameof(MaxEpochs), MaxEpochs);
        Require(EarlyStoppingPatience > 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience);
        Require(BatchSize > 0, nameof(BatchSize), BatchSize);
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be a positive finite number");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "must be a non-negative finite number");
    }

    private static void Require(bool ok, string name, object value, string rule = "must be positive")
    {
        if (!ok)
            throw new ArgumentException($"SasRecOptions.{name} {rule}; got {value}.", name);
    }
}
