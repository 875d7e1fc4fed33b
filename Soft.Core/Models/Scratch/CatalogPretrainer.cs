using System.Diagnostics;
using Soft.Runtime;
using Soft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Models.Scratch;

/// <summary>
/// Causal-LM pre-training of a (from-scratch) model on catalogue text, so that it knows the titles' spelling and
/// how lists of them look before SOFT's fine-tuning: every text becomes BOS + text + EOS and every next-token
/// transition is trained. Texts come from <see cref="CatalogText.PretrainingTexts"/> or any other source.
/// </summary>
internal sealed class CatalogPretrainer
{
    private readonly CatalogPretrainingOptions _options;

    /// <summary>Creates a pre-trainer; the options are validated here, not at the first step.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option breaks a rule; the message names each property.</exception>
    public CatalogPretrainer(CatalogPretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CatalogPretrainingOptionsValidator.ThrowIfInvalid(options);
        _options = options;
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place for <see cref="CatalogPretrainingOptions.Steps"/> steps (reshuffling
    /// the windows each pass with a stream seeded by <see cref="CatalogPretrainingOptions.Seed"/>), then, when
    /// <paramref name="outputFolder"/> is given, saves the model there as a Hugging Face folder (each file written
    /// atomically). The model is left in eval mode.
    /// </summary>
    /// <param name="model">The model to train; any <see cref="TorchLanguageModel"/> works, a scratch one is the intent.</param>
    /// <param name="texts">The training texts, each at least one character.</param>
    /// <param name="outputFolder">Where to save the trained model, or <see langword="null"/> to keep it in memory only.</param>
    /// <param name="progress">Receives every step's loss.</param>
    /// <param name="cancellationToken">Checked before every step; nothing is saved when it fires.</param>
    /// <param name="validate">
    /// A validation metric, higher is better, measured every <see cref="CatalogPretrainingOptions.EvaluationInterval"/>
    /// steps (and after the last); pre-training stops after <see cref="CatalogPretrainingOptions.EarlyStoppingPatience"/>
    /// validations without improvement and keeps the best validation's weights. Null (or an interval of 0) trains all steps.
    /// </param>
    /// <returns>The loss trace, the validations and timing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="texts"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="texts"/> is empty or holds a null or empty text.</exception>
    /// <exception cref="TokenIdOutOfRangeException">A text encodes to an id the model's embedding table lacks; checked before the first step.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public PretrainingResult Train(TorchLanguageModel model, IReadOnlyList<string> texts, string? outputFolder = null, IProgress<PretrainingProgress>? progress = null, Func<TorchLanguageModel, double>? validate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(texts);
        var windows = Windows(model.Tokenizer, texts, model.Config.VocabSize);
        long seed = _options.Seed ?? SoftRandom.DefaultSeed;
        SoftRuntime.Seed(seed);
        var shuffle = SoftRandom.Create(seed, "catalog-pretraining-shuffle");
        var module = model.Module;
        var parameters = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        // Decay matrices only: shrinking RMSNorm gains towards 0 would fight the normalisation.
        var groups = new[]
        {
            new AdamWParameterGroup(parameters.Where(p => p.parameter.dim() >= 2).Select(p => p.parameter), _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, 1e-8, _options.WeightDecay),
            new AdamWParameterGroup(parameters.Where(p => p.parameter.dim() < 2).Select(p => p.parameter), _options.LearningRate, _options.AdamBeta1, _options.AdamBeta2, 1e-8, 0),
        };
        using var optimizer = new AdamWOptimizer(groups);
        var curve = RateCurve(_options);

        var losses = new List<double>(_options.Steps);
        int[] order = Enumerable.Range(0, windows.Count).ToArray();
        int next = order.Length;
        var clock = Stopwatch.StartNew();
        int interval = validate is null ? 0 : _options.EvaluationInterval;
        var validations = new List<(int Step, double Metric)>();
        Dictionary<string, Tensor>? best = null;
        int bestStep = _options.Steps, stale = 0, steps = 0;
        module.train();
        try
        {
            for (int step = 1; step <= _options.Steps; step++)
            {
                steps = step;
                cancellationToken.ThrowIfCancellationRequested();
                var batch = new List<int[]>(_options.BatchSize);
                while (batch.Count < Math.Min(_options.BatchSize, windows.Count))
                {
                    if (next == order.Length)
                    {
                        shuffle.Shuffle(order);
                        next = 0;
                    }
                    batch.Add(windows[order[next++]]);
                }
                double rate = curve.At(step - 1);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = rate;
                using (NewDisposeScope())
                {
                    var loss = Loss(model, batch);
                    optimizer.ZeroGrad();
                    loss.backward();
                    GradientClipping.Clip(parameters.Select(p => p.parameter), _options.MaxGradNorm);
                    optimizer.Step();
                    losses.Add(loss.item<float>());
                }
                progress?.Report(new PretrainingProgress(step, _options.Steps, losses[^1], rate, clock.Elapsed));
                if (interval == 0 || (step % interval != 0 && step != _options.Steps))
                    continue;
                module.eval();
                double metric = validate!(model);
                module.train();
                validations.Add((step, metric));
                progress?.Report(new PretrainingProgress(step, _options.Steps, losses[^1], rate, clock.Elapsed, metric));
                if (validations.Count == 1 || metric > validations.Take(validations.Count - 1).Max(v => v.Metric))
                {
                    Snapshot(module, ref best);
                    bestStep = step;
                    stale = 0;
                }
                else if (++stale >= _options.EarlyStoppingPatience)
                {
                    break;
                }
            }
            if (best is not null)
                Restore(module, best);
        }
        finally
        {
            module.eval();
            foreach (var tensor in best?.Values ?? Enumerable.Empty<Tensor>())
                tensor.Dispose();
        }
        double seconds = clock.Elapsed.TotalSeconds / Math.Max(1, steps);
        if (outputFolder is not null)
            model.Save(outputFolder);
        return new PretrainingResult(losses, windows.Count, windows.Sum(w => (long)w.Length), seconds, validations, best is null ? steps : bestStep);
    }

    // Copies of every parameter, outside any dispose scope, replacing an older snapshot.
    private static void Snapshot(nn.Module module, ref Dictionary<string, Tensor>? best)
    {
        using var noGrad = no_grad();
        foreach (var tensor in best?.Values ?? Enumerable.Empty<Tensor>())
            tensor.Dispose();
        best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in module.named_parameters())
        {
            var copy = parameter.detach().clone();
            copy.DetachFromDisposeScope();
            best[name] = copy;
        }
    }

    private static void Restore(nn.Module module, Dictionary<string, Tensor> best)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
            parameter.copy_(best[name]);
    }

    /// <summary>Linear warm-up, then cosine decay to the minimum ratio, reaching the floor on the last step.</summary>
    internal static LearningRateCurve RateCurve(CatalogPretrainingOptions options) => new(
        LearningRateSchedule.Cosine, options.LearningRate, options.LearningRate * options.MinLearningRateRatio, options.WarmupSteps, options.Steps, EndsOnLastStep: true);

    /// <summary>
    /// BOS + text + EOS for each text, cut into windows of at most MaxSequenceLength tokens; consecutive windows share
    /// one token so the transition across the cut is still trained.
    /// </summary>
    /// <exception cref="TokenIdOutOfRangeException">A text encodes to an id the model's <paramref name="embeddingRows"/> lack.</exception>
    internal List<int[]> Windows(ITextTokenizer tokenizer, IReadOnlyList<string> texts, int embeddingRows)
    {
        if (texts.Count == 0)
            throw new ArgumentException("There are no texts to pre-train on.", nameof(texts));
        int length = _options.MaxSequenceLength;
        var windows = new List<int[]>();
        for (int i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
                throw new ArgumentException($"Text {i} is null or empty.", nameof(texts));
            // Without a BOS id the first token has no predecessor and is not trained; with one it is.
            int[] ids = [.. tokenizer.BosTokenId is int bos ? [bos] : Array.Empty<int>(), .. tokenizer.Encode(texts[i], addBos: false), tokenizer.EosTokenId];
            TokenIdGuard.ThrowIfOutOfRange(ids, embeddingRows, texts[i], $"the model's {embeddingRows:N0} embedding rows");
            for (int start = 0; start < ids.Length - 1; start += length - 1)
                windows.Add(ids[start..Math.Min(ids.Length, start + length)]);
        }
        return windows;
    }

    // Mean next-token cross-entropy over real-token transitions; left padding, so a transition counts only when both
    // its tokens are real (the pad before BOS must not be trained to predict BOS).
    private static Tensor Loss(TorchLanguageModel model, IReadOnlyList<int[]> batch)
    {
        var (ids, mask) = TokenBatch.LeftPad(batch, model.Tokenizer.PadTokenId, model.Device); // (B, T)
        long length = ids.shape[1];
        var hidden = model.Module.HiddenStates(ids, mask); // (B, T, D)
        var logits = model.Module.Logits(hidden.narrow(1, 0, length - 1)).to(ScalarType.Float32); // (B, T-1, V)
        var scored = mask.narrow(1, 0, length - 1).logical_and(mask.narrow(1, 1, length - 1)); // (B, T-1)
        using var ignore = TokenBatch.IgnoreIndex.ToScalar();
        var targets = ids.narrow(1, 1, length - 1).masked_fill(scored.logical_not(), ignore);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: TokenBatch.IgnoreIndex);
    }
}
