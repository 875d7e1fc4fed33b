namespace Soft.Models.Scratch;

/// <summary>
/// Settings of the causal-LM pre-training of a from-scratch model on catalogue text. Every value is checked before
/// training starts; a failure names the property. The optimiser settings follow nanoGPT's small-model
/// recipe (AdamW β = (0.9, 0.95), weight decay 0.1 on matrices only, linear warm-up, cosine decay, clipping at 1).
/// </summary>
public sealed class CatalogPretrainingOptions
{
    /// <summary>Optimiser steps at most (early stopping may end sooner). Default value is 200.</summary>
    public int Steps { get; set; } = 200;

    /// <summary>Sequences per step. Default value is 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Longest training sequence in tokens, BOS and EOS included; longer texts are cut into consecutive windows that
    /// share one token, so every next-token transition is still trained once. Default value is 128.
    /// </summary>
    public int MaxSequenceLength { get; set; } = 128;

    /// <summary>Peak AdamW learning rate. Default value is 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>The cosine schedule ends at this fraction of <see cref="LearningRate"/>. Default value is 0.1.</summary>
    public double MinLearningRateRatio { get; set; } = 0.1;

    /// <summary>Steps of linear warm-up from 0; must be below <see cref="Steps"/>. Default value is 10.</summary>
    public int WarmupSteps { get; set; } = 10;

    /// <summary>AdamW weight decay, applied to matrices (embeddings, projections) and not to norm gains. Default value is 0.1.</summary>
    public double WeightDecay { get; set; } = 0.1;

    /// <summary>AdamW β₁. Default value is 0.9.</summary>
    public double AdamBeta1 { get; set; } = 0.9;

    /// <summary>AdamW β₂; 0.95 rather than torch's 0.999, as nanoGPT uses for small batches. Default value is 0.95.</summary>
    public double AdamBeta2 { get; set; } = 0.95;

    /// <summary>Gradient-norm clipping threshold; 0 turns clipping off. Default value is 1.</summary>
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>
    /// Steps between validations when the pre-trainer is given a validation metric; 0 never validates (the run goes
    /// all <see cref="Steps"/>). The weights of the best validation are kept. Default value is 0.
    /// </summary>
    public int EvaluationInterval { get; set; }

    /// <summary>Validations in a row without improvement that end pre-training early. Default value is 3.</summary>
    public int EarlyStoppingPatience { get; set; } = 3;

    /// <summary>
    /// An override of the seed of the shuffling stream and of torch's generator (dropout). Default value is null: a
    /// <see cref="Soft.Pipeline.SoftTrainer"/> run derives it from its one seed (<c>SoftOptions.Seed</c>, stream
    /// <c>base-model-pretraining</c>); pre-training outside a run uses <see cref="Runtime.SoftRandom.DefaultSeed"/>.
    /// </summary>
    public long? Seed { get; set; }
}
