using Soft.Runtime;

namespace Soft.Recommenders;

/// <summary>
/// How a recommender answers: which trained model <see cref="Serving.SoftRecommender.Load"/> serves, and the rules
/// every <see cref="IRecommender"/> applies to histories and candidates. Every value is checked when a recommender is
/// made (a failure names the property); a recommender keeps a copy, so later changes do not reach it.
/// </summary>
public sealed class RecommenderOptions
{
    // Model (SoftRecommender.Load only; the baselines are already one model)

    /// <summary>
    /// The method of the run whose weights answer, by its report name: <c>SOFT</c>, <c>SFT</c>,
    /// <c>SOFT w/o self-adaptation</c>, a variant's name (<c>SOFT (α=10)</c>), or <c>Guidance-only</c> for the untuned
    /// base model. Default value is null: <c>SOFT</c> for a run folder, the one method an exported bundle holds.
    /// </summary>
    public string? Method { get; set; }

    /// <summary>Where the model runs. Default value is <see cref="DevicePreference.Auto"/> (CUDA when available).</summary>
    public DevicePreference Device { get; set; } = DevicePreference.Auto;

    /// <summary>
    /// Histories scored per forward pass by <see cref="IRecommender.RecommendMany"/> with item tokens; bounds memory,
    /// not results. Default value is 64, the batch the exact evaluator scores test prompts in, so that a batched
    /// answer is bit-for-bit the evaluator's.
    /// </summary>
    public int BatchSize { get; set; } = 64;

    // Every recommender

    /// <summary>Leave the history's own items out of the answer. Default value is true.</summary>
    public bool ExcludeHistory { get; set; } = true;

    /// <summary>When set, only these item ids may be recommended (for example what is in stock). Default value is null (every item).</summary>
    public IReadOnlyList<string>? OnlyItems { get; set; }

    /// <summary>Item ids never recommended (for example withdrawn items). Default value is null (none).</summary>
    public IReadOnlyList<string>? ExcludedItems { get; set; }

    /// <summary>History entries that name no item. Default value is <see cref="UnknownItemHandling.Throw"/>.</summary>
    public UnknownItemHandling UnknownItems { get; set; } = UnknownItemHandling.Throw;

    /// <summary>An empty history. Default value is <see cref="EmptyHistoryHandling.Throw"/>.</summary>
    public EmptyHistoryHandling EmptyHistory { get; set; } = EmptyHistoryHandling.Throw;

    /// <summary>A copy whose lists are copied too.</summary>
    public RecommenderOptions Clone() => new()
    {
        Method = Method,
        Device = Device,
        BatchSize = BatchSize,
        ExcludeHistory = ExcludeHistory,
        OnlyItems = OnlyItems is null ? null : [.. OnlyItems],
        ExcludedItems = ExcludedItems is null ? null : [.. ExcludedItems],
        UnknownItems = UnknownItems,
        EmptyHistory = EmptyHistory,
    };
}
