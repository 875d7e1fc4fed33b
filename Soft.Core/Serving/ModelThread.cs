using System.Collections.Concurrent;

namespace Soft.Serving;

/// <summary>
/// One dedicated thread that owns a model: it loads it, runs every call on it, and disposes it. TorchSharp's dispose
/// scopes and autograd mode are bound to the thread that opens them, so work that hopped between pool threads could
/// free another call's tensors; here calls from any thread queue up and run one at a time, each in its own scope, so
/// concurrent calls give exactly the results of sequential ones.
/// </summary>
internal sealed class ModelThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;
    private int _disposed;

    public ModelThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>True once <see cref="Stop"/> was called.</summary>
    public bool IsStopped => Volatile.Read(ref _disposed) == 1;

    /// <summary>Runs <paramref name="work"/> on the model thread and waits for it.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while queued (the work then never runs) or by the work itself.</exception>
    /// <exception cref="ObjectDisposedException">The thread was stopped.</exception>
    public T Run<T>(Func<T> work, CancellationToken cancellationToken) =>
        RunAsync(work, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Queues <paramref name="work"/> on the model thread; the task ends when it has run.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while queued (the work then never runs) or by the work itself.</exception>
    /// <exception cref="ObjectDisposedException">The thread was stopped.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Continuations off the model thread: a caller's code must never run there and hold up the queue.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        try
        {
            _queue.Add(() =>
            {
                // A caller that gave up while queued is not worth a forward pass.
                if (done.Task.IsCompleted)
                    return;
                try
                {
                    done.TrySetResult(work());
                }
                catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
                {
                    done.TrySetCanceled(cancellationToken);
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException && Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(SoftRecommender));
        }
        return await done.Task.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="last"/> after every queued call, then ends the thread; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Stop(Action last)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _queue.Add(() =>
        {
            try
            {
                last();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nobody waits on the last action (it runs at disposal), and an exception here would end the process.
                System.Diagnostics.Trace.TraceWarning($"Soft: disposing the recommender's model failed: {e.Message}");
            }
        });
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread)
            _thread.Join();
    }

    public void Dispose() => Stop(() => { });

    private void Loop()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
            work();
        _queue.Dispose();
    }
}
