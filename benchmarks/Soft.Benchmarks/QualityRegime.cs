using Soft.Data;

namespace Soft.Benchmarks;

/// <summary>
/// What the base model knows and what fine-tuning sees: the regimes of the quality benchmark (issue #20), each a data
/// rule and stage lengths, so that SOFT can be judged where its mechanism has room to work.
/// </summary>
internal sealed record QualityRegime
{
    public const string DefaultName = "default";
    public const string PaperLikeName = "paper-like";
    public const string BornAgainName = "born-again";

    public static IReadOnlyList<string> Names { get; } = [DefaultName, PaperLikeName, BornAgainName];

    /// <summary>The share of users whose training interactions pre-train the base in the paper-like regime.</summary>
    public const double PaperLikePretrainingShare = 0.5;

    /// <summary>
    /// Pre-training steps of the born-again base: a few, so that its states at the item tokens carry a first trace of
    /// which items go together (a graded d) while it recommends near chance (validation NDCG@10 ≈ 0.02).
    /// </summary>
    public const int BornAgainPretrainingSteps = 21;

    /// <summary>
    /// Training windows of the born-again regime. Every window (49,824 on LastFM, 72,456 on ML-100K) would take hours per
    /// seed on 2 cores; 20,000 is where the probes found the lead, at about 35–50 minutes per seed and dataset on one core.
    /// </summary>
    public const int BornAgainTrainSamples = 20_000;

    public required string Name { get; init; }

    /// <summary>Fine-tuning samples (SFT, D̂ and SOFT); null: every training window.</summary>
    public required int? TrainSamples { get; init; }

    /// <summary>Pre-training steps of the base; null: the cpu preset's (up to 3,000, early-stopped).</summary>
    public int? PretrainingSteps { get; init; }

    /// <summary>Null: the base pre-trains on every training interaction; else the share of users it pre-trains on, the others fine-tune.</summary>
    public double? PretrainingShare { get; init; }

    public required int MaxEpochs { get; init; }
    public required int Patience { get; init; }

    /// <summary>What the regime is, in a sentence, for the benchmark's document.</summary>
    public required string Description { get; init; }

    public static QualityRegime Parse(string name) => name switch
    {
        // The cpu preset's data; stages long enough for λ to travel (the paper: up to 7 epochs, patience 2).
        DefaultName => new()
        {
            Name = name,
            TrainSamples = 4096,
            MaxEpochs = 7,
            Patience = 2,
            Description = "the cpu preset: the base pre-trained on every training interaction (up to 3,000 steps, early-stopped), SFT and SOFT on 4,096 samples, up to 7 epochs with patience 2 (the paper's)",
        },
        PaperLikeName => new()
        {
            Name = name,
            TrainSamples = 4096,
            PretrainingShare = PaperLikePretrainingShare,
            MaxEpochs = 7,
            Patience = 2,
            Description = "the base pre-trained on the training interactions of half of the users (up to 3,000 steps, early-stopped); SFT and SOFT on 4,096 samples of the other half, whose transitions the base never saw; up to 7 epochs with patience 2",
        },
        BornAgainName => new()
        {
            Name = name,
            TrainSamples = BornAgainTrainSamples,
            PretrainingSteps = BornAgainPretrainingSteps,
            MaxEpochs = 10,
            Patience = 2,
            Description = $"a barely trained base ({BornAgainPretrainingSteps} pre-training steps); SFT (the teacher) and SOFT (a fresh student on D ∪ D̂) on the same {BornAgainTrainSamples:N0} training windows, up to 10 epochs with patience 2",
        },
        _ => throw new ArgumentException($"--regime: unknown regime '{name}'; known: {string.Join(", ", Names)}."),
    };

    /// <summary>The training subset the reader draws: all windows when the users are split afterwards (<see cref="Apply"/>).</summary>
    public int? ReaderTrainSubset(int? trainSamples) => PretrainingShare is null ? trainSamples : null;

    /// <summary>The dataset the regime trains on: the loaded one, or its users split between pre-training and fine-tuning.</summary>
    public RecommendationDataset Apply(RecommendationDataset loaded, int? trainSamples, long seed) =>
        PretrainingShare is { } share ? DisjointUsers.Split(loaded, share, trainSamples, seed) : loaded;
}
