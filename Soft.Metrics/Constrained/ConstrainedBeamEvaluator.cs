using Soft.Data;
using Soft.Evaluation;
using Soft.Models;

namespace Soft.Metrics.Constrained;

/// <summary>
/// D3-style evaluation ("Decoding Matters"): beam search restricted by a <see cref="CatalogTrie"/>, so every
/// returned beam is a catalogue title; the returned titles, best first, are the ranking, and a true item that is
/// not among them is "not ranked" (a miss at every cutoff).
/// </summary>
/// <remarks>
/// The trie is built once per (catalogue, tokenizer) and cached. Log-probabilities are not renormalised over the
/// allowed tokens (disallowed ones get −∞), as in D3's logits processor. With at least as many beams as titles and
/// length penalty 0, the result is the exhaustive ranking of all titles by sequence log-likelihood.
/// </remarks>
public sealed class ConstrainedBeamEvaluator : IRecommendationEvaluator
{
    private readonly object _trieLock = new();
    private CatalogTrie? _trie;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="options">Decoding and ranking options; null for D3's defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public ConstrainedBeamEvaluator(ConstrainedBeamEvaluatorOptions? options = null) =>
        Options = ConstrainedBeamEvaluatorOptionsValidator.Checked(options ?? new ConstrainedBeamEvaluatorOptions());

    /// <inheritdoc/>
    public string Name => EvaluatorNames.ConstrainedBeam;

    /// <summary>The options in use.</summary>
    public ConstrainedBeamEvaluatorOptions Options { get; }

    /// <summary>The trie of <paramref name="catalog"/> for <paramref name="tokenizer"/>, built on first use and cached.</summary>
    /// <param name="catalog">The catalogue.</param>
    /// <param name="tokenizer">The evaluated model's tokenizer.</param>
    /// <returns>The trie.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CatalogTrie TrieFor(ItemCatalog catalog, ITextTokenizer tokenizer) => TrieFor(catalog, tokenizer, null);

    /// <summary>The trie of <paramref name="catalog"/> as <paramref name="template"/> writes items, built on first use and cached.</summary>
    /// <param name="catalog">The catalogue.</param>
    /// <param name="tokenizer">The evaluated model's tokenizer.</param>
    /// <param name="template">How items are written (titles or item tokens); null for quoted titles.</param>
    /// <returns>The trie.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="tokenizer"/> is null.</exception>
    public CatalogTrie TrieFor(ItemCatalog catalog, ITextTokenizer tokenizer, PromptTemplate? template)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tokenizer);
        bool itemTokens = template?.ItemTokens == true;
        lock (_trieLock)
        {
            if (_trie is null || !ReferenceEquals(_trie.Catalog, catalog) || !ReferenceEquals(_trie.Tokenizer, tokenizer) || _trie.ItemTokens != itemTokens)
                _trie = CatalogTrie.Build(catalog, tokenizer, template);
            return _trie;
        }
    }

    /// <summary>The generation options used for <paramref name="trie"/>.</summary>
    /// <param name="trie">The catalogue trie.</param>
    /// <returns>Beam search options with the trie hook and EOS as the only stop token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trie"/> is null.</exception>
    public GenerationOptions GenerationOptionsFor(CatalogTrie trie)
    {
        ArgumentNullException.ThrowIfNull(trie);
        var options = Options.Decoding.Clone();
        options.NumReturnSequences = options.NumBeams;
        // Every title has ended (with EOS) by the longest one's length: more steps could only find nothing.
        options.MaxNewTokens = Math.Min(options.MaxNewTokens, trie.LongestSequence);
        // The trie ends every title with EOS; other stop ids of the model are never allowed anyway.
        options.StopTokenIds = [trie.Trie.EndOfSequenceToken];
        options.AllowedTokens = trie.AllowedTokens;
        return options;
    }

    /// <inheritdoc/>
    public EvaluationResult Evaluate(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = request.Dataset.Catalog;
        ArgumentOutOfRangeException.ThrowIfLessThan(request.KeepTopItems, 1, nameof(request));
        catalog.CheckSamples(request.Samples, nameof(request));
        var trie = TrieFor(catalog, request.Model.Tokenizer, request.Template);
        var options = GenerationOptionsFor(trie);
        var accumulator = new RankingMetricsAccumulator(catalog.Count, request.Cutoffs);
        var predictions = new List<SamplePrediction>(request.Samples.Count);
        for (int start = 0; start < request.Samples.Count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = request.Samples.Skip(start).Take(Options.BatchSize).ToList();
            var prompts = batch.Select(s => request.Template.Render(s, catalog).Prompt).ToList();
            var generated = request.Model.Generate(prompts, options, cancellationToken);
            for (int i = 0; i < batch.Count; i++)
            {
                var items = RankedItems(trie, generated[i]);
                int target = Options.FirstItemOfEachTitle ? catalog.IndicesWithTitle(catalog[batch[i].Target].Title)[0] : batch[i].Target;
                int position = Array.IndexOf(items, target);
                int? rank = position >= 0 ? position : null;
                accumulator.Add(rank, items);
                predictions.Add(new SamplePrediction(start + i, batch[i].UserId, batch[i].Target, rank,
                    [.. items.Take(request.KeepTopItems)], generated[i].Count > 0 ? request.Template.Readable(generated[i][0].Text, catalog) : null));
            }
            request.Progress?.Report((start + batch.Count, request.Samples.Count));
        }
        return new EvaluationResult(Name, accumulator.Result().Values, predictions);
    }

    /// <summary>The items of the returned beams, best beam first; a shared title gives its first item or all its items in id order.</summary>
    internal int[] RankedItems(CatalogTrie trie, IReadOnlyList<GeneratedSequence> beams)
    {
        var items = new List<int>();
        foreach (var beam in beams)
        {
            // A beam cut by the token limit is no title: ItemsOf returns nothing for it.
            var ids = beam.Stopped ? trie.ItemsOf(beam.TokenIds) : [];
            if (ids.Length == 0)
                continue;
            if (Options.FirstItemOfEachTitle)
                items.Add(ids[0]);
            else
                items.AddRange(ids);
        }
        return [.. items];
    }
}
