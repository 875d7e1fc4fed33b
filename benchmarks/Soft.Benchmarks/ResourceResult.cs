namespace Soft.Benchmarks;

/// <summary>What one child process of the resource benchmark measured for its <see cref="ResourceConfiguration"/>.</summary>
internal sealed record ResourceResult
{
    public required ResourceConfiguration Configuration { get; init; }

    /// <summary>Mean title length of the catalogue the run used, in characters.</summary>
    public required double MeanTitleCharacters { get; init; }

    /// <summary>Mean title length in tokens of the run's base-model tokenizer (without quotes).</summary>
    public required double MeanTitleTokens { get; init; }

    /// <summary>The base model's vocabulary (embedding rows; the logits' width).</summary>
    public required int Vocabulary { get; init; }

    /// <summary>Training samples (the seeded subset).</summary>
    public required int TrainSamples { get; init; }

    /// <summary>The longest training sequence: prompt (with BOS) + target + EOS, in tokens, after the context check.</summary>
    public required int LongestTrainingTokens { get; init; }

    /// <summary>The longest pair of D̂ (prompt + generated answer + EOS), in tokens: the distilled half of a SOFT step.</summary>
    public required int LongestDistilledTokens { get; init; }

    /// <summary>Samples (every split) whose oldest history items the context check dropped.</summary>
    public required int TruncatedSamples { get; init; }

    /// <summary>λ of each SOFT epoch (1: distilled loss only; below 1: both losses in one step).</summary>
    public required IReadOnlyList<double> SoftLambdas { get; init; }

    /// <summary>The process's peak resident memory (VmHWM) when the pipeline finished, in bytes.</summary>
    public required long PeakBytes { get; init; }

    /// <summary>VmHWM at the end of each stage, in run order (stage name, bytes).</summary>
    public required IReadOnlyList<StagePeak> StagePeaks { get; init; }

    /// <summary>Wall time of the pipeline, in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>
    /// The last stage that raised the peak by at least <paramref name="thresholdBytes"/> (what set it, not a stage that
    /// added a few pages afterwards); null when none did.
    /// </summary>
    public string? PeakStage(long thresholdBytes = 16L << 20)
    {
        string? stage = null;
        long before = 0;
        foreach (var peak in StagePeaks)
        {
            if (peak.Bytes - before >= thresholdBytes)
                stage = peak.Stage;
            before = Math.Max(before, peak.Bytes);
        }
        return stage;
    }
}

/// <summary>The process's VmHWM when <paramref name="Stage"/> ended.</summary>
internal sealed record StagePeak(string Stage, long Bytes);
