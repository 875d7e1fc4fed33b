using Microsoft.Extensions.Logging;
using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Training;

/// <summary>
/// The training steps of one epoch: seeded shuffle, micro-batches with gradient accumulation, the λ-weighted loss,
/// the non-finite check, clipping, the learning rate of the step and AdamW; one dispose scope per optimizer step.
/// </summary>
internal sealed class EpochRunner
{
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;

    /// <param name="options">Validated options.</param>
    /// <param name="logger">Receives a warning per skipped step.</param>
    public EpochRunner(TrainingOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Trains epoch <paramref name="epoch"/> with weight <paramref name="lambda"/>, continuing the step count and the
    /// non-finite streak of <paramref name="state"/> (which it does not change). Stops early on a streak of
    /// <see cref="TrainingOptions.MaxConsecutiveNonFiniteSteps"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before a step.</exception>
    public EpochOutcome Run(
        TrainingJob job,
        ITrainedWeights weights,
        AdamWOptimizer optimizer,
        TrainerState state,
        int epoch,
        double lambda,
        EtaClock clock,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        var model = job.Model;
        int count = job.RealPairs.Count;
        // Everything random in an epoch hangs off (seed, stage, epoch), never off what ran before in this process.
        var order = Enumerable.Range(0, count).ToArray();
        long seed = _options.Seed ?? SoftRandom.DefaultSeed;
        SoftRandom.Create(seed, $"{job.Stage}-shuffle-{epoch}").Shuffle(order);
        SoftRuntime.Seed(SoftRandom.DeriveSeed(seed, $"{job.Stage}-torch-{epoch}"));
        model.Module.train();

        int stepPairs = _options.EffectiveBatchSize;
        int steps = (count + stepPairs - 1) / stepPairs;
        var sums = new EpochSums();
        int consecutive = state.ConsecutiveNonFiniteSteps;
        long globalStep = state.GlobalStep;
        double learningRate = state.LearningRate;
        var curve = RateCurve(_options, state.TotalSteps);
        for (int step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.StepStarting();
            int start = step * stepPairs;
            var indices = order.AsSpan(start, Math.Min(stepPairs, count - start)).ToArray();
            learningRate = curve.At(globalStep);
            // One optimizer step over the step's pairs, micro-batch by micro-batch, inside one dispose scope: the
            // combined, real and distilled losses are means over the step's pairs; the norm is taken before clipping.
            double loss = 0, real = 0, distilled = 0, norm = double.NaN;
            using (NewDisposeScope())
            {
                for (int first = 0; first < indices.Length; first += _options.MicroBatchSize)
                {
                    var micro = indices.AsSpan(first, Math.Min(_options.MicroBatchSize, indices.Length - first)).ToArray();
                    // Each micro-batch's mean loss is weighted by its share of the step's pairs, so the accumulated
                    // gradient is that of the mean over the step however the pairs are split into micro-batches.
                    double share = (double)micro.Length / indices.Length;
                    // Each term is computed whenever its data exists, so an epoch reports the loss on D and on D̂ whatever
                    // λ is; a term of weight 0 is only measured (eval mode, no gradient), never trained on.
                    var realLoss = Term(job, lambda < 1, () => job.Model.ComputeLoss([.. micro.Select(i => job.RealPairs[i])]));
                    var distilledLoss = job.DistilledPairs is null && job.DistilledSoftTargets is null ? null : Term(job, lambda > 0, () => job.DistilledSoftTargets is { } soft
                        ? job.Model.ComputeSoftTargetLoss([.. micro.Select(i => job.RealPairs[i].Prompt)], [.. micro.Select(i => soft[i])])
                        : job.Model.ComputeLoss([.. micro.Select(i => job.DistilledPairs![i])]));
                    if (realLoss is not null)
                        real += share * realLoss.item<float>();
                    if (distilledLoss is not null)
                        distilled += share * distilledLoss.item<float>();
                    var combined = CurriculumLoss.Combine(realLoss, distilledLoss, lambda);
                    double value = combined.item<float>();
                    if (!double.IsFinite(value))
                    {
                        loss = value;
                        break;
                    }
                    loss += share * value;
                    using var shareScalar = share.ToScalar();
                    combined.mul(shareScalar).backward();
                }
                // A sum of finite shares of finite losses is finite: a non-finite loss means a micro-batch broke off.
                if (double.IsFinite(loss))
                    norm = ApplyGradients(weights, optimizer, learningRate);
                optimizer.ZeroGrad();
            }
            globalStep++;
            bool applied = double.IsFinite(loss) && double.IsFinite(norm);
            if (applied)
            {
                consecutive = 0;
                sums.Add(indices.Length, loss, real, distilled);
            }
            else
            {
                consecutive++;
                sums.Skipped++;
                TrainerLog.StepSkipped(_logger, job.Stage, epoch, globalStep, loss, norm, consecutive);
            }
            clock.StepDone();
            progress?.Report(new TrainingProgress(job.Stage, epoch, _options.MaxEpochs, globalStep, state.TotalSteps, applied ? loss : double.NaN,
                lambda, learningRate, state.SkippedSteps + sums.Skipped, clock.Remaining(state.TotalSteps - globalStep)));
            if (consecutive >= _options.MaxConsecutiveNonFiniteSteps)
                return sums.ToOutcome(step + 1, learningRate, consecutive, diverged: true);
        }
        return sums.ToOutcome(steps, learningRate, consecutive, diverged: false);
    }

    /// <summary>Hugging Face's warm-up and decay to 0 over the stage's planned steps.</summary>
    internal static LearningRateCurve RateCurve(TrainingOptions options, long totalSteps) =>
        new(options.Schedule, options.LearningRate, Floor: 0, options.WarmupSteps, totalSteps, EndsOnLastStep: false);

    // Clips the accumulated gradients and, when their norm is finite, takes the AdamW step at the step's learning
    // rate. Returns the norm before clipping.
    private double ApplyGradients(ITrainedWeights weights, AdamWOptimizer optimizer, double learningRate)
    {
        double norm = GradientClipping.Clip(weights.Parameters, _options.MaxGradNorm);
        if (double.IsFinite(norm))
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;
            optimizer.Step();
        }
        return norm;
    }

    // A loss term: trained on (with gradient) when it carries weight, else measured in eval mode without gradient, so
    // the measurement neither draws dropout's random numbers nor changes what the epoch trains.
    private static Tensor? Term(TrainingJob job, bool trained, Func<Tensor> loss)
    {
        if (trained)
            return loss();
        job.Model.Module.eval();
        try
        {
            using var noGrad = no_grad();
            return loss();
        }
        finally
        {
            job.Model.Module.train();
        }
    }

    // Per-epoch sums over applied steps; the means weight every step by its number of pairs.
    private sealed class EpochSums
    {
        private double _pairs, _loss, _real, _distilled;

        public int Skipped { get; set; }

        public void Add(int pairs, double loss, double real, double distilled)
        {
            _pairs += pairs;
            _loss += pairs * loss;
            _real += pairs * real;
            _distilled += pairs * distilled;
        }

        public EpochOutcome ToOutcome(int steps, double learningRate, int consecutive, bool diverged) => new(
            steps,
            Skipped,
            consecutive,
            learningRate,
            _pairs > 0 ? _loss / _pairs : double.NaN,
            _pairs > 0 ? _real / _pairs : double.NaN,
            _pairs > 0 ? _distilled / _pairs : double.NaN,
            diverged);
    }
}
