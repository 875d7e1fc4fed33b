using System.Diagnostics;

namespace Soft.Training;

/// <summary>Times training steps only (not validation or checkpoints) to estimate the rest of a stage.</summary>
internal sealed class EtaClock
{
    private readonly Stopwatch _watch = new();
    private long _steps;

    public void StepStarting() => _watch.Start();

    public void StepDone()
    {
        _watch.Stop();
        _steps++;
    }

    /// <summary>The mean step time of this process so far times <paramref name="stepsLeft"/>; null before any step.</summary>
    public TimeSpan? Remaining(long stepsLeft) => _steps == 0 ? null : TimeSpan.FromTicks(_watch.Elapsed.Ticks / _steps * Math.Max(0, stepsLeft));
}
