using Soft.Data;

namespace Soft.Models.Scratch;

/// <summary>
/// The texts a from-scratch model is built and pre-trained on: catalogue titles, their metadata, and titles in the
/// quoted, comma-separated form prompts show them in. Only training samples are ever rendered, so validation and
/// test targets never leak into pre-training.
/// </summary>
internal static class CatalogText
{
    /// <summary>
    /// Everything the tokenizer must cover: each title raw and quoted, each metadata text, and the template rendered
    /// over consecutive runs of titles (so that every title is also seen between <c>", "</c> separators and the
    /// template's fixed words are included).
    /// </summary>
    /// <param name="dataset">The dataset whose catalogue is covered.</param>
    /// <param name="template">The prompt template; <see langword="null"/> for the domain's Alpaca template.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static IEnumerable<string> TokenizerCorpus(RecommendationDataset dataset, PromptTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        template ??= PromptTemplate.Alpaca(dataset.Domain);
        return Corpus(dataset.Catalog, template, Math.Max(2, dataset.HistoryLength));
    }

    /// <summary>
    /// Causal-LM pre-training texts, in a fixed order: the titles, then (optionally) the metadata texts, then
    /// (optionally) every training sample rendered as its prompt followed by its quoted target.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="includeMetadata">Add each item's metadata text, where it has one.</param>
    /// <param name="includeHistories">Add the training samples as prompt + target text.</param>
    /// <param name="template">The prompt template; <see langword="null"/> for the domain's Alpaca template.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static IReadOnlyList<string> PretrainingTexts(RecommendationDataset dataset, bool includeMetadata = true, bool includeHistories = false, PromptTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var texts = new List<string>(dataset.Catalog.Items.Select(i => i.Title));
        if (includeMetadata)
            texts.AddRange(dataset.Catalog.Items.Select(i => i.Metadata).Where(m => !string.IsNullOrWhiteSpace(m))!);
        if (includeHistories)
        {
            template ??= PromptTemplate.Alpaca(dataset.Domain);
            texts.AddRange(dataset.Prompts(DataSplit.Train, template).Select(p => p.Prompt + p.Completion));
        }
        return texts;
    }

    /// <summary>
    /// The training interactions as plain lists (<see cref="RecommendationDataset.TrainingSequences"/>: each
    /// transition once), each item written as the template writes it (quoted title or item token) and separated by
    /// the template's history separator, exactly as prompts show histories, with no template words. Validation and test targets are never in them.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="template">The prompt template whose separator the lists use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="template"/> is null.</exception>
    public static IEnumerable<string> InteractionLists(RecommendationDataset dataset, PromptTemplate template)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(template);
        return dataset.TrainingSequences.Select(s => template.ItemList(s, dataset.Catalog));
    }

    private static IEnumerable<string> Corpus(ItemCatalog catalog, PromptTemplate template, int run)
    {
        foreach (var item in catalog.Items)
        {
            yield return item.Title;
            yield return TitleQuoting.Quote(item.Title);
            if (!string.IsNullOrWhiteSpace(item.Metadata))
                yield return item.Metadata;
        }
        var titles = catalog.Items.Select(i => i.Title).ToArray();
        // Overlapping runs, so each title appears both inside a list and at its end.
        for (int start = 0; start < titles.Length; start += run - 1)
            yield return template.RenderPrompt(titles[start..Math.Min(titles.Length, start + run)]);
    }
}
