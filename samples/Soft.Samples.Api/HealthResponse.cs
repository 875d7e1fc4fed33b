namespace Soft.Samples.Api;

/// <summary>The answer of <c>GET /healthz</c> once the model is loaded.</summary>
/// <param name="Status">Always <c>ok</c>: the service answers only after the model loaded.</param>
/// <param name="Method">The method served.</param>
/// <param name="Items">The catalogue's size (the largest <c>k</c>).</param>
/// <param name="ItemTokens">True when items are item tokens (one forward pass per batch), false for titles.</param>
/// <param name="MicroBatching">Whether concurrent requests are batched.</param>
/// <param name="Batches">Batches answered since the start (0 without micro-batching).</param>
/// <param name="BatchedRequests">Requests those batches held; divided by <paramref name="Batches"/>, the mean batch size.</param>
public sealed record HealthResponse(string Status, string Method, int Items, bool ItemTokens, bool MicroBatching, long Batches, long BatchedRequests);
