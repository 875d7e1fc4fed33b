namespace Soft.Samples.Api;

/// <summary>
/// Concurrent <c>POST /recommendations</c> requests collected into one <c>RecommendManyAsync</c> call: one forward pass
/// for up to <see cref="MaxBatchSize"/> histories instead of one each. The collection waits at most
/// <see cref="MaxDelayMilliseconds"/> after the first request, and not at all for requests already queued.
/// </summary>
public sealed class MicroBatchingOptions
{
    /// <summary>Whether requests are batched. Default value is false (each request is its own call).</summary>
    public bool Enabled { get; set; }

    /// <summary>The most requests in one batch, 1 … 4096. Default value is 64 (the recommender's batch).</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long the first request of a batch waits for company, 0 … 1000 ms. Default value is 0: a batch takes what
    /// queued while the previous one ran, which under load is what waiting would have collected anyway, and an idle
    /// service answers a lone request at once.
    /// </summary>
    public double MaxDelayMilliseconds { get; set; }
}
