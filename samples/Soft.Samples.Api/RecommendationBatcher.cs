using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Soft.Recommenders;
using Soft.Serving;

namespace Soft.Samples.Api;

/// <summary>
/// Answers requests one call each, or, with <see cref="MicroBatchingOptions.Enabled"/>, collects concurrent ones into
/// one <see cref="SoftRecommender.RecommendManyAsync"/> call (one forward pass per batch instead of one per request).
/// </summary>
/// <remarks>
/// A batch asks for the largest k among its requests and each request keeps its own first k, which are the same items
/// a call with that k returns (the ranking is a total order). A history that fails (an unknown item, an empty history)
/// would fail the whole batch, so then each request of that batch is answered alone, and only the bad one gets its error.
/// </remarks>
internal sealed class RecommendationBatcher : BackgroundService
{
    private readonly SoftRecommender _recommender;
    private readonly MicroBatchingOptions _options;
    private readonly ILogger<RecommendationBatcher> _logger;
    private long _batches;
    private long _batchedRequests;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public RecommendationBatcher(SoftRecommender recommender, IOptions<SoftApiOptions> options, ILogger<RecommendationBatcher> logger)
    {
        _recommender = recommender;
        _options = options.Value.MicroBatching;
        _logger = logger;
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Batches answered so far (with micro-batching on).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests those batches held.</summary>
    public long BatchedRequests => Interlocked.Read(ref _batchedRequests);

    /// <summary>The answer for one history: at least <paramref name="k"/> items (more when batched with a larger k).</summary>
    public Task<RecommendationList> RecommendAsync(IReadOnlyList<string> history, int k, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
            return _recommender.RecommendAsync(history, k, cancellationToken);
        var pending = new Pending(history, k, new TaskCompletionSource<RecommendationList>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(RecommendationBatcher), "The service is stopping.");
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
            return;
        var batch = new List<Pending>(_options.MaxBatchSize);
        var delay = TimeSpan.FromMilliseconds(_options.MaxDelayMilliseconds);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                await CollectAsync(batch, delay, stoppingToken).ConfigureAwait(false);
                await AnswerAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whoever still waits is told so below.
        }
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
            left.Done.TrySetException(new ObjectDisposedException(nameof(RecommendationBatcher), "The service is stopping."));
        foreach (var stranded in batch)
            stranded.Done.TrySetException(new ObjectDisposedException(nameof(RecommendationBatcher), "The service is stopping."));
    }

    // What is queued now, then what arrives until the first request has waited `delay` or the batch is full.
    private async Task CollectAsync(List<Pending> batch, TimeSpan delay, CancellationToken stoppingToken)
    {
        long start = Environment.TickCount64;
        while (batch.Count < _options.MaxBatchSize)
        {
            if (_queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }
            var left = delay - TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
            if (batch.Count > 0 && left <= TimeSpan.Zero)
                return;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    return;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        batch.RemoveAll(p => p.Token.IsCancellationRequested && p.Done.TrySetCanceled(p.Token));
        if (batch.Count == 0)
            return;
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedRequests, batch.Count);
        int k = batch.Max(p => p.K);
        RecommendationList[] answers;
        try
        {
            answers = await _recommender.RecommendManyAsync([.. batch.Select(p => p.History)], k, stoppingToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // One request's history is bad: answer each alone, so only that one fails.
            foreach (var p in batch)
            {
                try
                {
                    p.Done.TrySetResult(await _recommender.RecommendAsync(p.History, p.K, p.Token).ConfigureAwait(false));
                }
                catch (Exception e)
                {
                    p.Done.TrySetException(e);
                }
            }
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _logger.LogError(e, "A batch of {Count} requests failed.", batch.Count);
            foreach (var p in batch)
                p.Done.TrySetException(e);
            return;
        }
        for (int i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(answers[i]);
    }

    private sealed record Pending(IReadOnlyList<string> History, int K, TaskCompletionSource<RecommendationList> Done, CancellationToken Token);
}
