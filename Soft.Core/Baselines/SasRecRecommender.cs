using Soft.Data;
using Soft.Recommenders;
using Soft.Runtime;
using Soft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Baselines;

/// <summary>
/// The SASRec classical reference: trains on every position of each training history (next-item cross-entropy
/// over the whole catalogue), keeps the epoch with the best validation NDCG@10, and ranks the full catalogue
/// for a history, like the language-model evaluators do. As an <see cref="IRecommender"/> it scores items by their
/// logits after the history's most recent <see cref="SasRecOptions.MaxLength"/> items; calls are serialised on one
/// lock, each in its own dispose scope, so concurrent calls give the results of sequential ones.
/// </summary>
public sealed class SasRecRecommender : IRecommender, IDisposable
{
    // Histories per forward pass, as RanksOf scores them.
    private const int ScoreBatch = 256;

    private readonly SasRecModel _model;
    private readonly SasRecOptions _options;
    private readonly Device _device;
    private readonly long[] _counts;
    private readonly Lock _gate = new();
    private CatalogQuery _query;

    private SasRecRecommender(SasRecModel model, SasRecOptions options, Device device, IReadOnlyList<SasRecEpoch> epochs, long[] counts)
    {
        _model = model;
        _options = options;
        _device = device;
        _counts = counts;
        _query = new CatalogQuery(IndexCatalog.Of(model.ItemCount), new RecommenderOptions(), counts);
        Epochs = epochs;
    }

    /// <summary>Per-epoch training loss and validation NDCG@10, in order.</summary>
    public IReadOnlyList<SasRecEpoch> Epochs { get; }

    /// <summary>Loss and validation quality of one training epoch.</summary>
    /// <param name="Epoch">1-based epoch number.</param>
    /// <param name="TrainLoss">Mean cross-entropy over the epoch's batches.</param>
    /// <param name="ValidNdcgAt10">NDCG@10 on the validation examples after the epoch.</param>
    public sealed record SasRecEpoch(int Epoch, double TrainLoss, double ValidNdcgAt10);

    /// <summary>
    /// Trains SASRec on <paramref name="training"/>, early-stopping on <paramref name="validation"/>, and returns
    /// the model of the best epoch.
    /// </summary>
    /// <param name="training">Training examples; item ids in [0, <paramref name="itemCount"/>).</param>
    /// <param name="validation">Validation examples for early stopping.</param>
    /// <param name="itemCount">Catalogue size.</param>
    /// <param name="options">Settings; validated first.</param>
    /// <param name="device">Device name, e.g. <c>cpu</c> or <c>cuda:0</c>.</param>
    /// <param name="progress">Receives each finished epoch.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public static SasRecRecommender Fit(
        IReadOnlyList<NextItemExample> training,
        IReadOnlyList<NextItemExample> validation,
        int itemCount,
        SasRecOptions options,
        string device = "cpu",
        IProgress<SasRecEpoch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (training.Count == 0)
            throw new ArgumentException("SASRec needs at least one training example.", nameof(training));
        CheckIds(training, itemCount, nameof(training));
        CheckIds(validation, itemCount, nameof(validation));

        SoftRuntime.Seed(options.Seed);
        var dev = torch.device(device);
        var model = new SasRecModel(itemCount, options);
        model.to(dev);
        var epochs = new List<SasRecEpoch>();
        // Training occurrences (histories and targets), what PopularityRecommender counts: the empty-history fallback.
        var counts = new long[itemCount];
        foreach (var example in training)
        {
            foreach (int item in example.History)
                counts[item]++;
            counts[example.Target]++;
        }
        var recommender = new SasRecRecommender(model, options, dev, epochs, counts);
        var random = SoftRandom.Create(options.Seed, "sasrec-shuffle");
        Dictionary<string, Tensor>? best = null;
        double bestNdcg = double.NegativeInfinity;
        int stale = 0;

        // β₂ = 0.99 is what torch.optim.AdamW's TorchSharp factory defaulted to when SASRec used it; kept so results are unchanged.
        using var optimizer = new AdamWOptimizer([new AdamWParameterGroup(model.parameters(), options.LearningRate, beta2: 0.99, weightDecay: options.WeightDecay)]);
        int[] order = Enumerable.Range(0, training.Count).ToArray();
        for (int epoch = 1; epoch <= options.MaxEpochs && stale < options.EarlyStoppingPatience; epoch++)
        {
            random.Shuffle(order);
            model.train();
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = order.Skip(start).Take(options.BatchSize).Select(i => training[i]).ToList();
                var (input, labels) = recommender.TrainingBatch(batch);
                var logits = model.Scores(model.call(input));
                var loss = nn.functional.cross_entropy(logits.view(-1, itemCount), labels.view(-1), ignore_index: -100);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>();
                batches++;
            }

            double ndcg = validation.Count == 0 ? 0 : recommender.RanksOf(validation, cancellationToken).Average(r => r < 10 ? 1 / Math.Log2(r + 2) : 0);
            var record = new SasRecEpoch(epoch, lossSum / batches, ndcg);
            epochs.Add(record);
            progress?.Report(record);
            if (ndcg > bestNdcg)
            {
                bestNdcg = ndcg;
                stale = 0;
                DisposeAll(best);
                best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
            }
            else
            {
                stale++;
            }
        }

        if (best is not null)
        {
            model.load_state_dict(best);
            DisposeAll(best);
        }
        model.eval();
        return recommender;
    }

    /// <summary>
    /// 0-based rank of each example's target in the full catalogue ranking by score: the number of items scored
    /// higher, or equal with a smaller id.
    /// </summary>
    public int[] RanksOf(IReadOnlyList<NextItemExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        CheckIds(examples, _model.ItemCount, nameof(examples));
        using var exclusive = _gate.EnterScope();
        var ranks = new int[examples.Count];
        bool wasTraining = _model.training;
        _model.eval();
        using (no_grad())
        {
            for (int start = 0; start < examples.Count; start += 256)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = examples.Skip(start).Take(256).ToList();
                var scores = _model.Scores(_model.call(HistoryBatch(batch))[.., -1]);
                var targets = tensor(batch.Select(e => (long)e.Target).ToArray(), device: _device).unsqueeze(1);
                var targetScores = scores.gather(1, targets);
                var ids = Scalars.Arange(0, _model.ItemCount, device: _device).unsqueeze(0);
                var ahead = scores.gt(targetScores) | (scores.eq(targetScores) & ids.lt(targets));
                var batchRanks = ahead.sum(1).cpu().data<long>().ToArray();
                for (int i = 0; i < batchRanks.Length; i++)
                    ranks[start + i] = (int)batchRanks[i];
            }
        }
        _model.train(wasTraining);
        return ranks;
    }

    /// <summary>
    /// Names items by <paramref name="catalog"/>'s ids and titles in <see cref="IRecommender"/> calls (until then item i
    /// is "i") and applies <paramref name="options"/>; call it before serving, not during calls.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">The catalogue's size is not the model's, or an option is invalid.</exception>
    /// <exception cref="UnknownItemsException">A candidate filter names ids the catalogue lacks.</exception>
    public void UseCatalog(ItemCatalog catalog, RecommenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.Count != _model.ItemCount)
            throw new ArgumentException($"The catalogue has {catalog.Count} items; this SASRec model was trained on {_model.ItemCount}.", nameof(catalog));
        _query = new CatalogQuery(catalog, options ?? new RecommenderOptions(), _counts);
    }

    /// <inheritdoc/>
    public RecommendationList Recommend(IReadOnlyList<string> history, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        return RecommendMany([history], k, cancellationToken)[0];
    }

    /// <inheritdoc/>
    public IReadOnlyList<RecommendationList> RecommendMany(IReadOnlyList<IReadOnlyList<string>> histories, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var query = _query;
        query.CheckK(k);
        var resolved = query.ResolveAll(histories);
        var scored = resolved.Where(h => h.Items.Length > 0).Select(h => new NextItemExample(h.Items, 0)).ToList();
        var scores = Scores(scored, cancellationToken);
        var answers = new RecommendationList[resolved.Length];
        for (int i = 0, next = 0; i < resolved.Length; i++)
            answers[i] = resolved[i].Items.Length == 0 ? query.MostPopular(resolved[i], k) : query.Rank(scores[next++], resolved[i], k);
        return answers;
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    // Every item's logit after each history (its last MaxLength items), ScoreBatch histories per forward pass.
    private double[][] Scores(IReadOnlyList<NextItemExample> histories, CancellationToken cancellationToken)
    {
        var scores = new double[histories.Count][];
        using var exclusive = _gate.EnterScope();
        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < histories.Count; start += ScoreBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = histories.Skip(start).Take(ScoreBatch).ToList();
                var flat = _model.Scores(_model.call(HistoryBatch(batch))[.., -1]).to(ScalarType.Float64).cpu().data<double>().ToArray(); // (B, n)
                for (int i = 0; i < batch.Count; i++)
                    scores[start + i] = flat.AsSpan(i * _model.ItemCount, _model.ItemCount).ToArray();
            }
        }
        finally
        {
            _model.train(wasTraining);
        }
        return scores;
    }

    // Inputs: the last MaxLength items of history+target minus the final one; labels: the item after each input.
    private (Tensor Input, Tensor Labels) TrainingBatch(IReadOnlyList<NextItemExample> batch)
    {
        int l = _options.MaxLength;
        var input = new long[batch.Count * l];
        var labels = new long[batch.Count * l];
        Array.Fill(labels, -100L);
        for (int row = 0; row < batch.Count; row++)
        {
            var e = batch[row];
            int[] sequence = [.. e.History, e.Target];
            int n = Math.Min(l, sequence.Length - 1);
            for (int j = 0; j < n; j++)
            {
                int from = sequence.Length - 1 - n + j;
                int at = row * l + (l - n + j);
                input[at] = sequence[from] + 1;
                labels[at] = sequence[from + 1];
            }
        }
        return (tensor(input, device: _device).view(batch.Count, l), tensor(labels, device: _device).view(batch.Count, l));
    }

    private Tensor HistoryBatch(IReadOnlyList<NextItemExample> batch)
    {
        int l = _options.MaxLength;
        var input = new long[batch.Count * l];
        for (int row = 0; row < batch.Count; row++)
        {
            var h = batch[row].History;
            int n = Math.Min(l, h.Length);
            for (int j = 0; j < n; j++)
                input[row * l + (l - n + j)] = h[h.Length - n + j] + 1;
        }
        return tensor(input, device: _device).view(batch.Count, l);
    }

    private static void CheckIds(IReadOnlyList<NextItemExample> examples, int itemCount, string name)
    {
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.Target < 0 || e.Target >= itemCount || e.History.Any(h => h < 0 || h >= itemCount))
                throw new ArgumentException($"{name}[{i}] holds an item id outside [0, {itemCount}).", name);
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null)
            return;
        foreach (var t in tensors.Values)
            t.Dispose();
    }
}
