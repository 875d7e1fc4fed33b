using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Runs;
using Soft.Runtime;
using TorchSharp.Modules;

namespace Soft.Training;

/// <summary>
/// The one training loop of Soft: SFT (λ = 0), SOFT (adaptive λ) and the ablation (λ = 1) are the same loop with
/// another <see cref="ICurriculumScheduler"/>. Each epoch optimises (1 − λ)·L_real + λ·L_distilled over the same
/// prompts with AdamW, gradient accumulation, clipping and a warm-up schedule; after each epoch it validates, measures
/// the grounded distance when the scheduler needs it, and checkpoints into the run folder, so an interrupted stage
/// resumes with exactly the numbers an uninterrupted one would have produced.
/// </summary>
/// <remarks>
/// <para>Artifacts, relative to the run folder, for a stage <c>s</c>:</para>
/// <list type="bullet">
/// <item><description><c>s/epoch-N/</c>: the weights (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>,
/// or a Hugging Face model folder for full fine-tuning), <c>optimizer.safetensors</c> (the <see cref="AdamWOptimizer"/> state) and
/// <c>trainer_state.json</c>; recorded as the run stage <c>s/epoch-N</c>.</description></item>
/// <item><description><c>s/curriculum.jsonl</c>: one line per finished epoch (λ, d, losses, validation).</description></item>
/// <item><description><c>s/best/</c>: a copy of the best epoch's weights, and <c>s/trainer_state.json</c>, the final
/// state; recorded as the run stage <c>s</c>, after which a rerun only loads <c>s/best/</c>.</description></item>
/// </list>
/// <para>
/// Determinism: the adapter's initialisation, each epoch's shuffle and each epoch's torch generator (dropout) are
/// seeded from <see cref="TrainingOptions.Seed"/>, the stage and the epoch alone, and the learning rate is a function of
/// the step count, so whether the process restarted before an epoch does not change it. Bit-identical results also need
/// the same thread count and deterministic callbacks.
/// </para>
/// <para>Training runs synchronously on the calling thread (TorchSharp's dispose scopes are thread-bound).</para>
/// </remarks>
internal sealed class CurriculumTrainer
{
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a trainer with validated options.</summary>
    /// <param name="options">The options; validated now and copied, so later changes have no effect.</param>
    /// <param name="logger">Receives one line per epoch and a warning per skipped step; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names every broken option.</exception>
    public CurriculumTrainer(IOptions<TrainingOptions> options, ILogger<CurriculumTrainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value ?? throw new ArgumentNullException(nameof(options), "IOptions<TrainingOptions>.Value is null.");
        TrainingOptionsValidator.ThrowIfInvalid(value);
        _options = value.Clone();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>A copy of the options in force.</summary>
    public TrainingOptions Options => _options.Clone();

    /// <summary>
    /// Trains one stage, resuming from the last finished epoch in the run folder, or only loading the best weights when
    /// the stage is already complete there.
    /// </summary>
    /// <param name="job">The model, data, scheduler, callbacks and run folder.</param>
    /// <param name="progress">Receives a snapshot after every optimizer step, on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every optimizer step; finished epochs stay on disk for a resume.</param>
    /// <returns>The best epoch, every epoch's numbers and why training stopped. The model holds the best weights.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> is null.</exception>
    /// <exception cref="ArgumentException">The job is inconsistent (no data, misaligned distilled pairs, a scheduler
    /// that needs distances without a distance callback, a bad stage name); the message names the property.</exception>
    /// <exception cref="InvalidOperationException">The model already carries an adapter, the scheduler asks for
    /// distilled data the job lacks, or a callback returned an unusable value.</exception>
    /// <exception cref="RunConfigMismatchException">The run folder holds this stage for other options or data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the adapter
    /// injected for this call has been taken out of the model again.</exception>
    public TrainingResult Train(TrainingJob job, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        CheckJob(job);
        string fingerprint = Fingerprint(job);
        ITrainedWeights weights = _options.Lora is { } lora
            ? new LoraWeights(job.Model, lora, SoftRandom.DeriveSeed(_options.Seed ?? SoftRandom.DefaultSeed, $"{job.Stage}-lora-init"))
            : new FullWeights(job.Model);
        var stage = new StageFolder(job.RunFolder, job.Stage);
        try
        {
            if (job.RunFolder.IsComplete(job.Stage))
                return Reuse(job, weights, stage, fingerprint);
            using var optimizer = CreateOptimizer(weights.Parameters);
            var state = StartOrResume(job, weights, optimizer, stage, fingerprint, cancellationToken);
            var history = new CurriculumHistory(state.InitialDistance, state.Epochs.Select(StageFolder.ToStatistics));
            var runner = new EpochRunner(_options, _logger);
            var clock = new EtaClock();
            while (state.StopReason is null)
            {
                int epoch = state.Epoch + 1;
                double lambda = job.Scheduler.NextLambdaChecked(history);
                if (lambda > 0 && job.DistilledPairs is null)
                {
                    throw new InvalidOperationException(
                        $"{job.Scheduler.GetType().Name} gives λ = {lambda} for epoch {epoch}, but the job has no {nameof(TrainingJob.DistilledPairs)}.");
                }
                TrainerLog.EpochStarting(_logger, job.Stage, epoch, lambda);
                var epochClock = Stopwatch.StartNew();
                var outcome = runner.Run(job, weights, optimizer, state, epoch, lambda, clock, progress, cancellationToken);
                if (outcome.Diverged)
                {
                    // The epoch is dropped: only finished epochs are checkpoints, and the last good one stays on disk.
                    state.SkippedSteps += outcome.Skipped;
                    state.StopReason = TrainingStopReason.NonFinite;
                    break;
                }
                var record = FinishEpoch(job, epoch, lambda, outcome, epochClock, cancellationToken);
                Advance(state, record, outcome);
                stage.SaveEpoch(weights, optimizer, state);
                history = history.Append(StageFolder.ToStatistics(record));
            }
            return Finish(job, weights, stage, state);
        }
        catch
        {
            weights.Abandon();
            throw;
        }
        finally
        {
            job.Model.Module.eval();
        }
    }

    private TrainingResult Reuse(TrainingJob job, ITrainedWeights weights, StageFolder stage, string fingerprint)
    {
        var state = stage.ReadFinalState(fingerprint);
        weights.Load(stage.BestPath);
        TrainerLog.StageReused(_logger, job.Stage, state.BestEpoch);
        return ToResult(job, state, weights, stage.BestPath, reused: true);
    }

    // A new stage measures d_0 (when the scheduler needs it); a stage with finished epochs continues after the last.
    private TrainerState StartOrResume(TrainingJob job, ITrainedWeights weights, AdamWOptimizer optimizer, StageFolder stage, string fingerprint, CancellationToken cancellationToken)
    {
        int stepsPerEpoch = (job.RealPairs.Count + _options.EffectiveBatchSize - 1) / _options.EffectiveBatchSize;
        var (trainable, total) = weights.Count();
        TrainerLog.Starting(_logger, job.Stage, trainable, total, stepsPerEpoch);
        int finished = stage.FinishedEpochs(_options.MaxEpochs);
        if (finished > 0)
        {
            var resumed = stage.LoadEpoch(finished, fingerprint, weights, optimizer);
            TrainerLog.Resuming(_logger, job.Stage, finished, resumed.GlobalStep, resumed.TotalSteps);
            return resumed;
        }
        var state = new TrainerState
        {
            Stage = job.Stage,
            Fingerprint = fingerprint,
            StepsPerEpoch = stepsPerEpoch,
            TotalSteps = (long)stepsPerEpoch * _options.MaxEpochs,
            Schedule = _options.Schedule,
        };
        if (job.Scheduler.RequiresDistance)
        {
            state.InitialDistance = MeasureDistance(job, "d_0", cancellationToken);
            TrainerLog.InitialDistance(_logger, job.Stage, state.InitialDistance.Value);
        }
        return state;
    }

    // Validation and d_e after an epoch, and the epoch's record.
    private EpochRecord FinishEpoch(TrainingJob job, int epoch, double lambda, EpochOutcome outcome, Stopwatch epochClock, CancellationToken cancellationToken)
    {
        var trainSeconds = epochClock.Elapsed.TotalSeconds;
        job.Model.Module.eval();
        var validation = Validate(job, cancellationToken);
        double? distance = job.Scheduler.RequiresDistance ? MeasureDistance(job, $"d_{epoch}", cancellationToken) : null;
        var record = new EpochRecord
        {
            Epoch = epoch,
            Lambda = lambda,
            Distance = distance,
            // Both terms are measured whatever λ (EpochRunner); only a stage without D̂ has no distilled loss.
            RealLoss = outcome.RealLoss,
            DistilledLoss = job.DistilledPairs is null && job.DistilledSoftTargets is null ? null : outcome.DistilledLoss,
            CombinedLoss = outcome.CombinedLoss,
            Validation = validation,
            Steps = outcome.Steps,
            SkippedSteps = outcome.Skipped,
            LearningRate = outcome.LearningRate,
            TrainSeconds = trainSeconds,
            Seconds = epochClock.Elapsed.TotalSeconds,
        };
        TrainerLog.EpochFinished(_logger, job.Stage, epoch, record.CombinedLoss, _options.MetricName,
            validation.TryGetValue(_options.MetricName, out double m) ? m : null, distance, record.Seconds);
        return record;
    }

    // The best epoch (the last one without validation) goes into the model, loaded from disk even when it is the
    // last one, so that the model holds exactly the saved bytes.
    private TrainingResult Finish(TrainingJob job, ITrainedWeights weights, StageFolder stage, TrainerState state)
    {
        state.BestEpoch ??= state.Epoch > 0 ? state.Epoch : null;
        if (state.BestEpoch is int best)
            stage.LoadWeights(best, weights);
        stage.SaveFinal(state);
        TrainerLog.Stopped(_logger, job.Stage, state.StopReason!.Value, state.BestEpoch);
        return ToResult(job, state, weights, state.BestEpoch is null ? null : stage.BestPath, reused: false);
    }

    private void Advance(TrainerState state, EpochRecord record, EpochOutcome outcome)
    {
        state.Epoch = record.Epoch;
        state.GlobalStep += outcome.Steps;
        state.LearningRate = record.LearningRate;
        state.ConsecutiveNonFiniteSteps = outcome.Consecutive;
        state.SkippedSteps += outcome.Skipped;
        state.Epochs.Add(record);

        if (!record.Validation.TryGetValue(_options.MetricName, out double metric))
        {
            // Without validation the latest epoch stands for the best one.
            state.BestEpoch = record.Epoch;
        }
        else if (double.IsFinite(metric) && (state.BestMetric is not double best || (_options.GreaterIsBetter ? metric > best : metric < best)))
        {
            state.BestEpoch = record.Epoch;
            state.BestMetric = metric;
            state.EpochsWithoutImprovement = 0;
        }
        else
        {
            state.EpochsWithoutImprovement++;
        }

        if (_options.EarlyStoppingPatience > 0 && state.EpochsWithoutImprovement >= _options.EarlyStoppingPatience)
            state.StopReason = TrainingStopReason.EarlyStopped;
        else if (record.Epoch >= _options.MaxEpochs)
            state.StopReason = TrainingStopReason.MaxEpochs;
    }

    private TrainingResult ToResult(TrainingJob job, TrainerState state, ITrainedWeights weights, string? bestFolder, bool reused)
    {
        var (trainable, total) = weights.Count();
        return new TrainingResult
        {
            Stage = job.Stage,
            StopReason = state.StopReason ?? TrainingStopReason.MaxEpochs,
            BestEpoch = state.BestEpoch,
            BestMetric = state.BestEpoch is int b ? MetricOf(state.Epochs[b - 1]) : null,
            MetricName = _options.MetricName,
            Epochs = state.Epochs,
            History = new CurriculumHistory(state.InitialDistance, state.Epochs.Select(StageFolder.ToStatistics)),
            BestFolder = bestFolder,
            TrainableParameters = trainable,
            TotalParameters = total,
            SkippedSteps = state.SkippedSteps,
            ReusedFromRunFolder = reused,
            Adapter = weights.Adapter,
        };
    }

    private double? MetricOf(EpochRecord record) => record.Validation.TryGetValue(_options.MetricName, out double v) ? v : null;

    private AdamWOptimizer CreateOptimizer(IReadOnlyList<Parameter> parameters)
    {
        // Hugging Face's convention: decay matrices, never biases or norm gains. Empty groups are left out.
        var groups = new List<AdamWParameterGroup>();
        var decayed = parameters.Where(p => p.dim() >= 2).ToList();
        var plain = parameters.Where(p => p.dim() < 2).ToList();
        if (decayed.Count > 0)
            groups.Add(new AdamWParameterGroup(decayed, _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, _options.AdamEpsilon, _options.WeightDecay));
        if (plain.Count > 0)
            groups.Add(new AdamWParameterGroup(plain, _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, _options.AdamEpsilon, 0));
        return new AdamWOptimizer(groups);
    }

    private IReadOnlyDictionary<string, double> Validate(TrainingJob job, CancellationToken cancellationToken)
    {
        if (job.Validate is null)
            return new Dictionary<string, double>(StringComparer.Ordinal);
        var metrics = job.Validate(job.Model, cancellationToken)
            ?? throw new InvalidOperationException("The validation callback returned null; return an empty dictionary for no metrics.");
        if (!metrics.ContainsKey(_options.MetricName))
        {
            throw new InvalidOperationException(
                $"The validation callback returned no '{_options.MetricName}' (TrainingOptions.MetricName); it returned: {string.Join(", ", metrics.Keys)}.");
        }
        return new Dictionary<string, double>(metrics, StringComparer.Ordinal);
    }

    private static double MeasureDistance(TrainingJob job, string name, CancellationToken cancellationToken)
    {
        job.Model.Module.eval();
        double distance = job.Distance!(job.Model, cancellationToken);
        if (!double.IsFinite(distance) || distance < 0)
            throw new InvalidOperationException($"The distance callback returned {name} = {distance}; a mean distance must be finite and non-negative.");
        return distance;
    }

    // Everything that changes the numbers of a stage: the options, the scheduler's type and the data.
    private string Fingerprint(TrainingJob job)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Add(JsonSerializer.Serialize(_options, TrainerState.JsonLine));
        Add(job.Scheduler.GetType().FullName ?? job.Scheduler.GetType().Name);
        Add(job.Stage);
        foreach (var pair in job.RealPairs)
        {
            Add(pair.Prompt);
            Add(pair.Target);
        }
        foreach (var pair in job.DistilledPairs ?? [])
            Add(pair.Target);
        foreach (var target in job.DistilledSoftTargets ?? [])
            Add(string.Join(' ', target.TokenIds.Zip(target.Probabilities, (t, p) => $"{t}:{p:R}")));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void CheckJob(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job.Model, nameof(job.Model));
        ArgumentNullException.ThrowIfNull(job.RealPairs, nameof(job.RealPairs));
        ArgumentNullException.ThrowIfNull(job.Scheduler, nameof(job.Scheduler));
        ArgumentNullException.ThrowIfNull(job.RunFolder, nameof(job.RunFolder));
        if (string.IsNullOrEmpty(job.Stage) || !job.Stage.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || job.Stage.Trim('.').Length == 0)
            throw new ArgumentException($"TrainingJob.Stage '{job.Stage}' must be a folder name of letters, digits, '-', '_' and '.'.", nameof(job));
        if (job.RealPairs.Count == 0)
            throw new ArgumentException("TrainingJob.RealPairs is empty; a stage needs at least one training pair.", nameof(job));
        if (job.DistilledPairs is { } distilled)
        {
            if (distilled.Count != job.RealPairs.Count)
                throw new ArgumentException($"TrainingJob.DistilledPairs has {distilled.Count} pairs for {job.RealPairs.Count} real pairs; they must align by index.", nameof(job));
            for (int i = 0; i < distilled.Count; i++)
            {
                if (!string.Equals(distilled[i].Prompt, job.RealPairs[i].Prompt, StringComparison.Ordinal))
                    throw new ArgumentException($"TrainingJob.DistilledPairs[{i}] has another prompt than RealPairs[{i}]; the distilled pairs must be the same prompts in the same order.", nameof(job));
            }
        }
        if (job.DistilledSoftTargets is { } soft && soft.Count != job.RealPairs.Count)
            throw new ArgumentException($"TrainingJob.DistilledSoftTargets has {soft.Count} targets for {job.RealPairs.Count} real pairs; they must align by index.", nameof(job));
        if (job.Scheduler.RequiresDistance && job.Distance is null)
            throw new ArgumentException($"{job.Scheduler.GetType().Name} requires grounded distances, but TrainingJob.Distance is null.", nameof(job));
    }
}
