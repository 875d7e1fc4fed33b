using Soft.Data;
using Soft.Evaluation;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Runs;
using Soft.Runtime;

namespace Soft.Metrics.Grounding;

/// <summary>
/// BIGRec's evaluation: the model answers each prompt by beam search, the top beam's text is embedded with the
/// grounding embedder (the untuned base model), and every catalogue item is ranked by the L2 distance of its
/// vector (<see cref="ItemEmbeddingTable"/>) to the answer's. Also measures SOFT's curriculum distance.
/// </summary>
/// <remarks>
/// <para>
/// The grounding embedder must be the model the item table was built with; for a LoRA-tuned model that is the same
/// network with its adapters disabled. The item table is taken from the constructor or built on first use (and
/// cached) from the request's catalogue.
/// </para>
/// <para>
/// An empty answer (the model stopped at once) has no text to ground: that sample is counted as "not ranked", a
/// miss at every cutoff.
/// </para>
/// </remarks>
public sealed class GroundingEvaluator : IPreparedEvaluator, IDistanceMeasure
{
    /// <summary>The name of the random stream that picks the curriculum's distance subset.</summary>
    public const string DistanceSampleStream = "distance-sample";

    private ITextEmbedder? _embedder;
    private readonly object _tableLock = new();
    private readonly bool _tableGiven;
    private ItemEmbeddingTable? _table;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="groundingEmbedder">Embeds answers (and titles, when no table is given): the untuned base model.</param>
    /// <param name="options">Decoding and ranking options; null for the reference defaults.</param>
    /// <param name="table">A prebuilt item table (e.g. loaded from <c>items.safetensors</c>); null builds one on first use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="groundingEmbedder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public GroundingEvaluator(ITextEmbedder groundingEmbedder, GroundingEvaluatorOptions? options = null, ItemEmbeddingTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(groundingEmbedder);
        _embedder = groundingEmbedder;
        Options = GroundingEvaluatorOptionsValidator.Checked(options ?? new GroundingEvaluatorOptions());
        _table = table;
        _tableGiven = table is not null;
    }

    /// <summary>
    /// Creates the evaluator for a <see cref="Soft.Pipeline.SoftTrainer"/>, which hands it the grounding embedder and
    /// the run folder's item table in <see cref="Prepare"/>.
    /// </summary>
    /// <param name="options">Decoding and ranking options; null for the reference defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public GroundingEvaluator(GroundingEvaluatorOptions? options = null)
    {
        Options = GroundingEvaluatorOptionsValidator.Checked(options ?? new GroundingEvaluatorOptions());
    }

    /// <inheritdoc/>
    public string Name => EvaluatorNames.Grounding;

    /// <summary>The options in use.</summary>
    public GroundingEvaluatorOptions Options { get; }

    /// <summary>
    /// The item table for <paramref name="catalog"/>: the one given, or one built once with the grounding embedder (of
    /// <see cref="GroundingEvaluatorOptions.ItemVectors"/>, read against a title template when automatic; evaluating a
    /// request builds the table its template needs).
    /// </summary>
    /// <param name="catalog">The catalogue to rank.</param>
    /// <param name="progress">Receives (done, total) titles while a table is built.</param>
    /// <param name="cancellationToken">Checked between embedding batches.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">The table given to the constructor has another number of items than <paramref name="catalog"/>.</exception>
    public ItemEmbeddingTable TableFor(ItemCatalog catalog, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        TableFor(catalog, null, progress, cancellationToken);

    private ItemEmbeddingTable TableFor(ItemCatalog catalog, PromptTemplate? template, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        lock (_tableLock)
        {
            var source = ItemEmbeddingTable.Resolve(Options.ItemVectors, template);
            // Without a template any table built for this catalogue will do; with one it must hold the vectors it needs.
            if (_table is not null && ReferenceEquals(_table.Catalog, catalog) && (_tableGiven || template is null || _table.Source == source))
                return _table;
            // A table given by the caller (e.g. loaded from items.safetensors for an equal catalogue read again) is
            // used if its size fits and never silently replaced; one built here is rebuilt for another catalogue.
            if (_table is not null && _tableGiven)
            {
                return _table.Count == catalog.Count
                    ? _table
                    : throw new ArgumentException($"The item table has {_table.Count} rows but the catalogue has {catalog.Count} items.", nameof(catalog));
            }
            var embedder = _embedder ?? throw new InvalidOperationException("The grounding evaluator has no embedder yet: construct it with one, or let the pipeline call Prepare first.");
            _table = ItemEmbeddingTable.Build(embedder, catalog, source, Options.EmbeddingBatchSize, progress, cancellationToken);
            return _table;
        }
    }

    /// <summary>
    /// Takes the base-model embedder and builds BIGRec's item table, or reloads it from the run folder's
    /// <c>items.safetensors</c> when the preparation finished there before.
    /// </summary>
    /// <inheritdoc/>
    public IReadOnlyList<string> Prepare(EvaluatorPreparation preparation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        string path = preparation.RunFolder.PathOf(ItemEmbeddingTable.FileName);
        lock (_tableLock)
        {
            _embedder = preparation.BaseEmbedder;
            var source = ItemEmbeddingTable.Resolve(Options.ItemVectors, preparation.Template);
            _table = preparation.Reuse && File.Exists(path) ? ItemEmbeddingTable.Load(path, preparation.Dataset.Catalog) : null;
            if (_table?.Source != source)
            {
                _table = ItemEmbeddingTable.Build(preparation.BaseEmbedder, preparation.Dataset.Catalog, source, Options.EmbeddingBatchSize, preparation.Progress, cancellationToken);
                _table.Save(path);
            }
        }
        return [ItemEmbeddingTable.FileName];
    }

    /// <inheritdoc/>
    public double MeanDistance(ILanguageModel model, RecommendationDataset dataset, IReadOnlyList<RecommendationSample> samples, PromptTemplate template, CancellationToken cancellationToken = default) =>
        MeanDistanceToTargets(model, samples, dataset, template, null, cancellationToken);

    /// <inheritdoc/>
    public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = request.Dataset.Catalog;
        catalog.CheckSamples(request.Samples, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.KeepTopItems, 1, nameof(request));
        var accumulator = new RankingMetricsAccumulator(catalog.Count, request.Cutoffs);
        var table = TableFor(catalog, request.Template, cancellationToken: cancellationToken);
        // Coverage@K needs the top K of each sample, even when fewer are kept in the predictions.
        int keep = Math.Max(request.KeepTopItems, accumulator.Cutoffs[^1]);
        var predictions = new List<SamplePrediction>(request.Samples.Count);
        var samples = request.Samples;
        for (int start = 0; start < samples.Count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = samples.Skip(start).Take(Options.BatchSize).ToList();
            var answers = Answer(request.Model, batch, request.Template, catalog, cancellationToken);
            var vectors = EmbedAnswers(answers, table.Source, catalog, request.Template);
            var ranks = new GroundedRank?[batch.Count];
            // Each sample's ranking is independent and written to its own slot, so the loop is deterministic.
            Parallel.For(0, batch.Count, i =>
            {
                if (vectors[i] is { } vector)
                    ranks[i] = L2Grounding.Rank(vector, table, batch[i].Target, keep, Options.FirstItemOfEachTitle);
            });
            for (int i = 0; i < batch.Count; i++)
            {
                var ranked = ranks[i];
                IReadOnlyList<int> top = ranked?.TopItems ?? [];
                accumulator.Add(ranked?.Rank, top is int[] array ? array : [.. top]);
                predictions.Add(new SamplePrediction(start + i, batch[i].UserId, batch[i].Target, ranked?.Rank,
                    [.. top.Take(request.KeepTopItems)], request.Template.Readable(answers[i], catalog)));
            }
            request.Progress?.Report((start + batch.Count, samples.Count));
        }
        return new EvaluationResult(Name, accumulator.Result().Values, predictions);
    }

    /// <summary>
    /// SOFT's curriculum distance d: the mean L2 distance between the embedding of <paramref name="model"/>'s top-beam
    /// answer and the true item's row of the item table, over <paramref name="samples"/>.
    /// </summary>
    /// <param name="model">The model being trained (adapters active).</param>
    /// <param name="samples">The fixed distance subset (see <see cref="SelectDistanceSamples"/>).</param>
    /// <param name="dataset">The dataset the samples refer to.</param>
    /// <param name="template">The prompt template the model is trained with.</param>
    /// <param name="progress">Receives (done, total) sample counts.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The mean distance; an empty answer counts as the target's mean distance to every ranked item (a random guess).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is empty or refers to items outside the catalogue.</exception>
    public double MeanDistanceToTargets(ILanguageModel model, IReadOnlyList<RecommendationSample> samples, RecommendationDataset dataset, PromptTemplate template,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(template);
        dataset.Catalog.CheckSamples(samples, nameof(samples));
        if (samples.Count == 0)
            throw new ArgumentException("The distance subset is empty.", nameof(samples));
        var table = TableFor(dataset.Catalog, template, cancellationToken: cancellationToken);
        double sum = 0;
        for (int start = 0; start < samples.Count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = samples.Skip(start).Take(Options.BatchSize).ToList();
            var vectors = EmbedAnswers(Answer(model, batch, template, dataset.Catalog, cancellationToken), table.Source, dataset.Catalog, template);
            for (int i = 0; i < batch.Count; i++)
            {
                sum += vectors[i] is { } vector
                    ? L2Grounding.Distance(vector, table.Row(batch[i].Target))
                    : MeanDistanceToAll(table, batch[i].Target);
            }
            progress?.Report((start + batch.Count, samples.Count));
        }
        return sum / samples.Count;
    }

    // An empty answer names no item, so it is scored like a uniformly random guess: the target's mean distance to the
    // ranked rows. Dropping empty answers instead would leave d undefined for a base model that has not learnt to
    // answer yet (common for d_0), and would reward a model for falling silent on hard prompts.
    private static double MeanDistanceToAll(ItemEmbeddingTable table, int target)
    {
        var rows = table.RankingRows;
        var distances = new float[rows.Count];
        L2Grounding.Distances(table.Row(target), table, [.. rows], distances);
        return distances.Average(d => (double)d);
    }

    /// <summary>
    /// The fixed random subset of training samples the curriculum distance is measured on: <paramref name="count"/>
    /// samples drawn without replacement from the stream <see cref="DistanceSampleStream"/> of <paramref name="seed"/>,
    /// returned in training order; all samples when there are fewer.
    /// </summary>
    /// <param name="train">The training samples.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="count">The subset size; the reference uses 256.</param>
    /// <returns>The subset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<RecommendationSample> SelectDistanceSamples(IReadOnlyList<RecommendationSample> train, long seed, int count = 256)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return SeededSubset.Select(train, count, seed, DistanceSampleStream);
    }

    private string[] Answer(ILanguageModel model, List<RecommendationSample> batch, PromptTemplate template, ItemCatalog catalog, CancellationToken cancellationToken)
    {
        var prompts = batch.Select(s => template.Render(s, catalog).Prompt).ToList();
        // With item tokens the top beam is the most probable item (a free beam could answer end-of-sequence).
        if (template.ItemTokens)
            return [.. ItemTokenAnswers.Top(model, prompts, catalog, 1).Select(top => ItemTokenText.Of(top[0].Item))];
        var options = Options.Decoding.Clone();
        options.NumReturnSequences = 1;
        var generated = model.Generate(prompts, options, cancellationToken);
        return [.. generated.Select(g => g.Count > 0 ? g[0].Text : string.Empty)];
    }

    // Answers are embedded as the table's items are: as titles when it holds titles (an item token answer is read as
    // the title it names), as they were generated when it holds item tokens.
    private float[]?[] EmbedAnswers(string[] answers, ItemVectorSource source, ItemCatalog catalog, PromptTemplate template)
    {
        var result = new float[]?[answers.Length];
        var present = Enumerable.Range(0, answers.Length).Where(i => answers[i].Length > 0).ToArray();
        if (present.Length == 0)
            return result;
        var vectors = _embedder!.Embed([.. present.Select(i => source == ItemVectorSource.Title ? template.Readable(answers[i], catalog) : answers[i])]);
        for (int k = 0; k < present.Length; k++)
            result[present[k]] = vectors[k];
        return result;
    }
}
