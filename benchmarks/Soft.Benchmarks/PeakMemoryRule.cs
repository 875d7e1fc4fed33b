using Soft.Pipeline;

namespace Soft.Benchmarks;

/// <summary>
/// The rule a user applies to predict the cpu preset's peak memory: peak ≈ <see cref="BaseBytes"/> +
/// <see cref="BytesPerLogit"/> × the logits of the largest step, fitted by least squares to measured rows.
/// </summary>
/// <remarks>
/// A step's memory is dominated by its logits (rows × positions × vocabulary, each float kept for the softmax and its
/// gradient), so the largest is what matters: pre-training's batch of windows (32 × 128 positions), or a SOFT step,
/// whose real and distilled losses are two micro-batches (2 × 16) of the longest sequence L in one graph. Exact
/// scoring's budget (4,096 positions) equals pre-training's. So the logits of the largest step are
/// V × 32 × max(128, L) on the preset's values.
/// </remarks>
internal sealed record PeakMemoryRule(double BaseBytes, double BytesPerLogit, double RSquared, double MaxErrorBytes, int Rows)
{
    /// <summary>Pre-training's positions per step: batch × window.</summary>
    public static int PretrainingPositions
    {
        get
        {
            var pretraining = SoftPresets.CpuPretraining();
            return pretraining.BatchSize * pretraining.MaxSequenceLength;
        }
    }

    /// <summary>Sequences in one SOFT graph: the real and the distilled micro-batch.</summary>
    public static int SoftGraphRows => 2 * SoftPresets.Cpu().Soft.MicroBatchSize;

    /// <summary>Logit elements of the largest step of a run with vocabulary <paramref name="vocabulary"/> and longest sequence <paramref name="longest"/>.</summary>
    public static double Logits(int vocabulary, int longest) =>
        (double)vocabulary * Math.Max(PretrainingPositions, (double)SoftGraphRows * longest);

    /// <summary>The predicted peak, in bytes.</summary>
    public double Predict(int vocabulary, int longest) => BaseBytes + BytesPerLogit * Logits(vocabulary, longest);

    /// <summary>Least squares of peak on <see cref="Logits"/> over <paramref name="results"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two rows, or all rows have the same logits (no slope to fit).</exception>
    public static PeakMemoryRule Fit(IReadOnlyList<ResourceResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count < 2)
            throw new ArgumentException($"A rule needs at least two measured rows; got {results.Count}.", nameof(results));
        double[] x = [.. results.Select(r => Logits(r.Vocabulary, r.LongestTrainingTokens))];
        double[] y = [.. results.Select(r => (double)r.PeakBytes)];
        double meanX = x.Average(), meanY = y.Average();
        double sxx = x.Sum(v => (v - meanX) * (v - meanX));
        if (sxx == 0)
            throw new ArgumentException("Every row has the same logits per step, so no slope can be fitted; widen the grid.", nameof(results));
        double slope = x.Zip(y).Sum(p => (p.First - meanX) * (p.Second - meanY)) / sxx;
        double intercept = meanY - slope * meanX;
        double residual = x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + slope * p.First), 2));
        double total = y.Sum(v => (v - meanY) * (v - meanY));
        double maxError = x.Zip(y).Max(p => Math.Abs(p.Second - (intercept + slope * p.First)));
        return new PeakMemoryRule(intercept, slope, total == 0 ? 1 : 1 - residual / total, maxError, results.Count);
    }
}
