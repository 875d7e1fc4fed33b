using Soft.Data;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Recommenders;

namespace Soft.Serving;

/// <summary>
/// A finished run's model answering "what should this user see next?": loaded from the run folder
/// (<c>serving.json</c>, <c>catalog.jsonl</c> and the chosen method's weights), it ranks the whole
/// catalogue for a history exactly as the run's exact evaluator did, and returns the best items.
/// </summary>
/// <remarks>
/// <para>
/// <b>Scoring.</b> With item tokens, every item's log-probability as the next token: one forward pass per batch of
/// histories, the same numbers as the run's <c>exact</c> test predictions. With titles, every candidate title's summed
/// log-probability over the candidates' title trie (<see cref="Evaluation.TitleTrieScorer"/>; exact, its cost grows
/// with the trie's nodes; narrow it with
/// <see cref="RecommenderOptions.OnlyItems"/>); grounding and constrained beam decoding are not offered for serving.
/// </para>
/// <para>
/// <b>History window.</b> A history longer than the run's <see cref="HistoryLength"/> keeps its most recent
/// <see cref="HistoryLength"/> items, the window the model was trained on; if the prompt still does not fit the model's
/// context, further oldest items are dropped. Every given item is still left out of the answer when
/// <see cref="RecommenderOptions.ExcludeHistory"/> is set.
/// </para>
/// <para>
/// <b>Threads.</b> The model lives on one dedicated thread (TorchSharp's dispose scopes are thread-bound); calls from
/// any number of threads queue there and run one at a time, so they give the same results as sequential calls.
/// Histories are resolved and answers ranked on the calling thread.
/// </para>
/// </remarks>
public sealed class SoftRecommender : IRecommender, IDisposable
{
    // The method a run folder serves when none is asked for, SOFT. The one spelling of its name: the reports take
    // theirs from here (ReportMethodNames.Soft), since serving may need nothing of the reports.
    internal const string DefaultMethod = "SOFT";

    private readonly ModelThread _thread;
    private readonly TorchLanguageModel _model;
    private readonly CatalogQuery _query;
    private readonly PromptTemplate _template;
    private readonly ICatalogScorer _scorer;

    private SoftRecommender(ModelThread thread, TorchLanguageModel model, CatalogQuery query, PromptTemplate template, ICatalogScorer scorer, string method, int historyLength)
    {
        _thread = thread;
        _model = model;
        _query = query;
        _template = template;
        _scorer = scorer;
        Method = method;
        HistoryLength = historyLength;
    }

    /// <summary>The method whose weights answer (<see cref="RecommenderOptions.Method"/>).</summary>
    public string Method { get; }

    /// <summary>The items recommended from, as the run stored them.</summary>
    public ItemCatalog Catalog => _query.Catalog;

    /// <summary>The most recent history items a prompt shows: the run's history length.</summary>
    public int HistoryLength { get; }

    /// <summary>True when items are item tokens (one forward pass per batch), false when they are titles.</summary>
    public bool ItemTokens => _template.ItemTokens;

    /// <summary>The methods a run folder can serve, in run order (trained or not yet).</summary>
    /// <param name="runFolder">A run folder.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runFolder"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no serving manifest.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or from a newer Soft.</exception>
    public static IReadOnlyList<string> Methods(string runFolder) => [.. ServingManifest.Read(runFolder).Methods.Select(m => m.Name)];

    /// <summary>
    /// Loads the model of <see cref="RecommenderOptions.Method"/> from a finished run folder, or the one method of a
    /// bundle that <see cref="Export"/> wrote (checked against its manifest's checksums first).
    /// </summary>
    /// <param name="runFolder">The folder a <c>SoftTrainer</c> run wrote, or a bundle (<see cref="BundleManifest.IsBundle"/>).</param>
    /// <param name="options">The method and the answer rules; null for the defaults (SOFT or the bundle's method, history excluded, errors on unknown items).</param>
    /// <returns>The recommender; dispose it to free the model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runFolder"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid, or the run or bundle has no such method (the message lists those it has).</exception>
    /// <exception cref="UnknownItemsException">A candidate filter names ids the catalogue lacks.</exception>
    /// <exception cref="DirectoryNotFoundException">The run folder, or a finished method's weights, is missing.</exception>
    /// <exception cref="FileNotFoundException">The serving manifest, the catalogue or a model file is missing.</exception>
    /// <exception cref="BundleIntegrityException">A bundle's file is missing, changed or not listed in its manifest; the exception names it.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the manifest (a run's or a bundle's) is from a newer Soft.</exception>
    /// <exception cref="InvalidOperationException">The method's stage has not finished yet, or it needs the base model and the run names no folder for it.</exception>
    public static SoftRecommender Load(string runFolder, RecommenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        options = options?.Clone() ?? new RecommenderOptions();
        RecommenderOptionsValidator.ThrowIfInvalid(options);
        string? bundled = BundleManifest.IsBundle(runFolder) ? BundleManifest.Verify(runFolder).Method : null;
        if (bundled is not null && options.Method is { } asked && asked != bundled)
            throw new ArgumentException($"The bundle in {runFolder} holds only the method '{bundled}', not '{asked}' (RecommenderOptions.Method); export that method from its run, or leave Method null.", nameof(options));
        string wanted = options.Method ?? bundled ?? DefaultMethod;
        var manifest = ServingManifest.Read(runFolder);
        var method = manifest.Methods.FirstOrDefault(m => string.Equals(m.Name, wanted, StringComparison.Ordinal))
            ?? throw new ArgumentException($"The run in {runFolder} has no method '{wanted}' (RecommenderOptions.Method); it has: {string.Join(", ", manifest.Methods.Select(m => $"'{m.Name}'"))}.", nameof(options));
        var (catalog, counts) = CatalogFile.Read(Path.Combine(runFolder, CatalogFile.FileName));
        var query = new CatalogQuery(catalog, options, counts);
        var (modelFolder, adapterFolder) = Folders(runFolder, manifest, method);

        var thread = new ModelThread($"Soft recommender ({method.Name})");
        try
        {
            return thread.Run(() =>
            {
                var model = TorchLanguageModel.Load(modelFolder, new ModelLoadOptions { Device = options.Device });
                try
                {
                    if (adapterFolder is not null)
                        LoraAdapter.Load(model.Module, adapterFolder);
                    var template = manifest.ToTemplate();
                    if (manifest.MaxHistoryTitleTokens is int cap && !template.ItemTokens)
                        template = template.WithHistoryTitles(title => TokenTruncation.Truncate(model.Tokenizer, title, cap));
                    ICatalogScorer scorer = template.ItemTokens
                        ? new ItemTokenScorer(model, catalog, options.BatchSize)
                        : new TitleScorer(model, template, catalog, query.IsAllowed);
                    return new SoftRecommender(thread, model, query, template, scorer, method.Name, manifest.HistoryLength);
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            }, CancellationToken.None);
        }
        catch
        {
            thread.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a self-contained bundle of one method of a finished run into <paramref name="bundleFolder"/>: the model
    /// as a Hugging Face folder (<c>model/</c>; for a LoRA method the base model, with the PEFT adapter in
    /// <c>adapter/</c>), the catalogue, the template and serving settings (<c>serving.json</c>), and a
    /// <see cref="BundleManifest"/> with the SHA-256 of every file and the versions that made it. Copy the folder
    /// anywhere and <see cref="Load"/> it; it needs neither the run folder nor the data files.
    /// </summary>
    /// <remarks>
    /// The bundle is written into a sibling folder (<paramref name="bundleFolder"/> + <c>.partial</c>) and renamed into
    /// place once complete, so a failed or cancelled export leaves no bundle, never half of one. Every copied file the
    /// run recorded is checked against the run's checksum on the way. The same run exported by the same Soft gives a
    /// byte-identical bundle.
    /// </remarks>
    /// <param name="runFolder">A run folder whose method has finished training.</param>
    /// <param name="method">The method to export, by report name (<c>SOFT</c>, <c>SFT</c>, a variant, <c>Guidance-only</c>).</param>
    /// <param name="bundleFolder">A folder that does not exist yet or is empty.</param>
    /// <param name="cancellationToken">Stops the export between chunks of a file; nothing is left behind.</param>
    /// <returns>The written bundle's manifest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runFolder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="method"/> or <paramref name="bundleFolder"/> is empty, the run has no such method (the message lists those it has), or <paramref name="runFolder"/> is itself a bundle.</exception>
    /// <exception cref="IOException"><paramref name="bundleFolder"/> is a file or a folder that is not empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The run folder, or the method's weights, is missing.</exception>
    /// <exception cref="FileNotFoundException">The serving manifest, the catalogue or a model file is missing.</exception>
    /// <exception cref="InvalidDataException">A file differs from what the run recorded, or a manifest is malformed or from a newer Soft.</exception>
    /// <exception cref="InvalidOperationException">The method's stage has not finished yet, or it needs the base model and the run names no folder for it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static BundleManifest Export(string runFolder, string method, string bundleFolder, CancellationToken cancellationToken = default) =>
        BundleExporter.Export(runFolder, method, bundleFolder, cancellationToken);

    /// <inheritdoc/>
    public RecommendationList Recommend(IReadOnlyList<string> history, int k, CancellationToken cancellationToken = default) =>
        RecommendAsync(history, k, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IReadOnlyList<RecommendationList> RecommendMany(IReadOnlyList<IReadOnlyList<string>> histories, int k, CancellationToken cancellationToken = default) =>
        RecommendManyAsync(histories, k, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Recommend"/> without blocking the calling thread while the call waits for, and runs on, the model
    /// thread (what a web server wants); the arguments are checked before the task starts, with the same exceptions.
    /// </summary>
    /// <inheritdoc cref="Recommend" path="/param"/>
    public Task<RecommendationList> RecommendAsync(IReadOnlyList<string> history, int k, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_thread.IsStopped, this);
        ArgumentNullException.ThrowIfNull(history);
        _query.CheckK(k);
        return First(AnswerAsync([_query.Resolve(history)], k, cancellationToken));

        static async Task<RecommendationList> First(Task<RecommendationList[]> answers) => (await answers.ConfigureAwait(false))[0];
    }

    /// <summary><see cref="RecommendMany"/> without blocking the calling thread; see <see cref="RecommendAsync"/>.</summary>
    /// <inheritdoc cref="RecommendMany" path="/param"/>
    public Task<RecommendationList[]> RecommendManyAsync(IReadOnlyList<IReadOnlyList<string>> histories, int k, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_thread.IsStopped, this);
        ArgumentNullException.ThrowIfNull(histories);
        _query.CheckK(k);
        return AnswerAsync(_query.ResolveAll(histories), k, cancellationToken);
    }

    /// <summary>Frees the model once every queued call has finished; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _thread.Stop(_model.Dispose);

    private async Task<RecommendationList[]> AnswerAsync(ResolvedHistory[] histories, int k, CancellationToken cancellationToken)
    {
        var scored = Enumerable.Range(0, histories.Length).Where(i => histories[i].Items.Length > 0).ToList();
        var scores = scored.Count == 0 ? [] : await _thread.RunAsync(() =>
        {
            var prompts = scored.Select(i => Prompt(histories[i].Items)).ToList();
            return _scorer.Score(prompts, cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
        var answers = new RecommendationList[histories.Length];
        for (int i = 0, next = 0; i < histories.Length; i++)
        {
            answers[i] = histories[i].Items.Length == 0
                ? _query.MostPopular(histories[i], k)
                : _query.Rank(scores[next++], histories[i], k);
        }
        return answers;
    }

    // The most recent HistoryLength items, then as many more oldest dropped as the model's context requires (runs on the model thread: it tokenizes).
    private string Prompt(int[] history)
    {
        var items = history.AsSpan(Math.Max(0, history.Length - HistoryLength)).ToArray();
        int limit = _model.Config.MaxPositions - _scorer.Reserve;
        while (true)
        {
            string prompt = _template.RenderItems(items, Catalog);
            if (_model.Tokenizer.Encode(prompt).Count <= limit)
                return prompt;
            if (items.Length == 1)
                throw new InvalidOperationException($"Even the newest history item alone ('{Catalog[items[0]].Id}') makes a prompt longer than the model's {_model.Config.MaxPositions} positions allow.");
            items = items[1..];
        }
    }

    // The model folder and, for a LoRA method, the adapter folder of a method; refuses one whose stage has not finished.
    internal static (string Model, string? Adapter) Folders(string runFolder, ServingManifest manifest, ServedMethod method)
    {
        string? weights = method.Folder is null ? null : Path.GetFullPath(Path.Combine(runFolder, method.Folder));
        // The manifest, not the folder, says a stage finished: an interrupted run can leave a best/ folder half written.
        if (method.Stage is { } stage && RunManifestView.Read(runFolder)?.Stages.ContainsKey(stage) != true)
            throw new InvalidOperationException($"The method '{method.Name}' is not trained yet: the run in {runFolder} has not finished its stage '{stage}'. Finish the run, or choose another RecommenderOptions.Method.");
        if (weights is not null && !Directory.Exists(weights))
            throw new DirectoryNotFoundException($"The method '{method.Name}' has no trained weights in {weights}, although its stage finished; the folder was moved or deleted.");
        if (weights is not null && !method.Adapter)
            return (weights, null);
        string baseModel = manifest.BaseModel is { } named
            ? Path.GetFullPath(Path.Combine(runFolder, named))
            : throw new InvalidOperationException($"The method '{method.Name}' runs on the base model, but the run names no folder for it (it came from a model factory). Choose a method trained with full weights.");
        return (baseModel, weights);
    }
}
