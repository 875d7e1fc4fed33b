using Soft.Data;
using Soft.Models;

namespace Soft.Pipeline;

/// <summary>
/// Checks, before any training or generation, that every sample fits the model: its prompt + target + EOS, plus the
/// longest catalogue title (what an answer may be generated as), within <c>max_position_embeddings</c>, and every token id
/// within the embedding table. A sample that does not fit would otherwise run past the positions the model was built
/// for (a memory blow-up, not an error) or index outside libtorch's embedding (a native stack trace).
/// </summary>
internal static class ContextLengthCheck
{
    /// <summary>
    /// Returns the dataset and template to run with: unchanged, or with history titles cut to
    /// <see cref="SoftOptions.MaxHistoryTitleTokens"/> tokens and, when <see cref="SoftOptions.TruncateLongHistories"/>
    /// is set, the oldest history items of too-long samples dropped.
    /// </summary>
    /// <param name="model">The model whose tokenizer, context and embedding rows count.</param>
    /// <param name="dataset">The samples (every split).</param>
    /// <param name="template">How prompts are rendered.</param>
    /// <param name="options">The pipeline options (truncation and the title cap).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ContextLengthExceededException">A sample is too long and truncation is off (or even one history item is too long).</exception>
    /// <exception cref="TokenIdOutOfRangeException">A prompt or target encodes to an id the model's embedding table lacks.</exception>
    public static (RecommendationDataset Dataset, PromptTemplate Template) Fit(ITrainableLanguageModel model, RecommendationDataset dataset, PromptTemplate template, SoftOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        var tokenizer = model.Tokenizer;
        if (options.MaxHistoryTitleTokens is int cap)
            template = template.WithHistoryTitles(title => TokenTruncation.Truncate(tokenizer, title, cap));

        int rows = model.Config.VocabSize;
        var catalog = dataset.Catalog;
        var titleTokens = new int[catalog.Count];
        for (int i = 0; i < catalog.Count; i++)
        {
            // What a target is written as: the quoted title, or one item token.
            string quoted = template.ItemText(i, catalog);
            var ids = tokenizer.Encode(quoted, addBos: false);
            TokenIdGuard.ThrowIfOutOfRange(ids, rows, quoted, $"the model's {rows:N0} embedding rows");
            titleTokens[i] = ids.Count;
        }
        // Generation (distillation, beam evaluation) continues a prompt by at most one item (title or token) and EOS.
        int reserve = titleTokens.Max() + 1;
        int limit = model.Config.MaxPositions;

        bool changed = false;
        var splits = new List<RecommendationSample>[3];
        DataSplit[] order = [DataSplit.Train, DataSplit.Valid, DataSplit.Test];
        for (int s = 0; s < order.Length; s++)
        {
            var samples = dataset.Samples(order[s]);
            splits[s] = new List<RecommendationSample>(samples.Count);
            for (int index = 0; index < samples.Count; index++)
            {
                var sample = samples[index];
                var (promptTokens, total) = Measure(sample.History);
                var history = sample.History;
                if (total > limit)
                {
                    if (!options.TruncateLongHistories || Measure(sample.History.Skip(sample.History.Count - 1).ToArray()).Total > limit)
                    {
                        string advice = options.TruncateLongHistories
                            ? "even its newest history item alone is too long; set SoftOptions.MaxHistoryTitleTokens or use a model with a longer context"
                            : "set SoftOptions.TruncateLongHistories to drop the oldest history items, SoftOptions.MaxHistoryTitleTokens to cut titles, or shorten DatasetOptions.HistoryLength";
                        throw new ContextLengthExceededException(
                            $"{order[s]} sample {index} (user '{sample.UserId}', {sample.History.Count} history items) needs {total} positions: prompt {promptTokens} + target {titleTokens[sample.Target]} + EOS 1 " +
                            $"+ {reserve} for a generated answer (the longest title + EOS); the model has max_position_embeddings {limit}. To fix: {advice}.");
                    }
                    // The fewest oldest items to drop: prompts only shrink as items go, so a binary search finds it.
                    int low = 1, high = sample.History.Count - 1;
                    while (low < high)
                    {
                        int mid = (low + high) / 2;
                        if (Measure(sample.History.Skip(mid).ToArray()).Total <= limit)
                            high = mid;
                        else
                            low = mid + 1;
                    }
                    history = sample.History.Skip(low).ToArray();
                }

                (int Prompt, int Total) Measure(IReadOnlyList<int> items)
                {
                    string prompt = template.RenderItems(items, catalog);
                    var promptIds = tokenizer.Encode(prompt);
                    TokenIdGuard.ThrowIfOutOfRange(promptIds, rows, prompt, $"the model's {rows:N0} embedding rows");
                    return (promptIds.Count, promptIds.Count + titleTokens[sample.Target] + 1 + reserve);
                }

                changed |= history.Count != sample.History.Count;
                splits[s].Add(history.Count == sample.History.Count ? sample : sample with { History = history });
            }
        }
        if (!changed)
            return (dataset, template);
        return (new RecommendationDataset(dataset.Name, dataset.Domain, catalog, splits[0], splits[1], splits[2], dataset.Sequences, dataset.HistoryLength, dataset.Protocol, dataset.TrainingSequences) { Report = dataset.Report }, template);
    }
}
