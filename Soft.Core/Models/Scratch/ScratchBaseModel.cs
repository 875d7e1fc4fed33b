using Soft.Data;
using Soft.Evaluation;
using Soft.Models.ItemTokens;
using Soft.Runtime;

namespace Soft.Models.Scratch;

/// <summary>
/// A small base model made for a dataset when no pretrained LLM fits the machine: the compact catalogue tokenizer,
/// a seeded LLaMA of the given shape, and causal-LM pre-training on the catalogue's text (titles, metadata) and on the
/// training interactions written as plain lists of quoted titles. It stands in for the paper's pretrained LLM: it
/// knows the titles and which ones go together, but has never seen a prompt, so SFT still has to teach the task.
/// Only training samples are read, so validation and test targets never reach the base model.
/// </summary>
/// <remarks>
/// With a template that writes <see cref="PromptTemplate.ItemTokens">item tokens</see> the model also gets one token
/// per item (<see cref="ItemTokenVocabulary"/>) and is pre-trained on the training sequences written as item tokens,
/// one token per item: next-item prediction over the catalogue, as SASRec learns it, but as a causal LM. Pre-training then
/// validates every <see cref="CatalogPretrainingOptions.EvaluationInterval"/> steps by NDCG@10 of the next item on
/// validation histories (never their targets' neighbours in training) and keeps the best weights.
/// </remarks>
internal static class ScratchBaseModel
{
    /// <summary>
    /// Builds and pre-trains the model into <paramref name="folder"/> (a Hugging Face folder that
    /// <see cref="TorchLanguageModel.Load"/> reads); the files are written atomically, the weights last.
    /// </summary>
    /// <param name="folder">Where the model goes; created if needed, files of the same names replaced.</param>
    /// <param name="dataset">The dataset whose catalogue and training samples the model learns.</param>
    /// <param name="template">The prompt template the model will read (its words go into the tokenizer).</param>
    /// <param name="shape">Model shape and initialisation seed.</param>
    /// <param name="pretraining">Pre-training settings.</param>
    /// <param name="progress">Receives every pre-training step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="validationSamples">Validation samples (a subset seeded by the pre-training seed) that early stopping reads, with item tokens.</param>
    /// <returns>The pre-training losses, validations and timing.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> or <paramref name="pretraining"/> break a rule; the message names each property.</exception>
    public static PretrainingResult Build(string folder, RecommendationDataset dataset, PromptTemplate template, ScratchModelOptions shape, CatalogPretrainingOptions pretraining, IProgress<PretrainingProgress>? progress = null, int validationSamples = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(pretraining);
        ArgumentOutOfRangeException.ThrowIfLessThan(validationSamples, 1);
        var pretrainer = new CatalogPretrainer(pretraining);
        if (!template.ItemTokens)
        {
            using var model = ScratchModelBuilder.Build(folder, dataset, shape, template);
            var texts = CatalogText.PretrainingTexts(dataset, includeMetadata: true).Concat(CatalogText.InteractionLists(dataset, template)).ToList();
            return pretrainer.Train(model, texts, folder, progress, cancellationToken: cancellationToken);
        }

        // The text vocabulary covers the template's words only: prompts name items by their tokens, titles would
        // only add rows to the softmax. Titles still encode (byte-level BPE), e.g. for grounding.
        ScratchModelBuilder.Build(folder, CompactTokenizer.Build([template.RenderPrompt([])]), shape).Dispose();
        int first = ItemTokenVocabulary.Add(folder, dataset.Catalog, folder);
        using var itemModel = TorchLanguageModel.Load(folder);
        // A template that ends with the history (PromptTemplate.CompactItems) makes each training sequence a text of the
        // prompt's own form, so validation reads the very prompts SFT will see; otherwise plain lists are used.
        var lists = template.EndsWithHistory
            ? dataset.TrainingSequences.Select(s => template.RenderItems(s, dataset.Catalog)).ToList()
            : CatalogText.InteractionLists(dataset, template).ToList();
        var valid = SeededSubset.Select(dataset.Valid, validationSamples, pretraining.Seed ?? SoftRandom.DefaultSeed, "pretraining-validation");
        // BOS and the history; the next item follows the last.
        var prompts = valid.Select(s => template.EndsWithHistory ? template.RenderItems(s.History, dataset.Catalog) : template.ItemList(s.History, dataset.Catalog) + template.ItemSeparator).ToList();
        var result = pretrainer.Train(itemModel, lists, folder, progress, cancellationToken: cancellationToken,
            validate: valid.Count == 0 ? null : m => MeanNdcgAt10(m.NextTokenLogProbabilities(prompts, first, dataset.Catalog.Count), valid));
        WriteSummary(folder, result, valid.Count);
        return result;
    }

    /// <summary>File in the model folder that records how pre-training went (steps, validations, best step).</summary>
    public const string SummaryFileName = "pretraining.json";

    // The record of the run that made the weights, kept beside them: early stopping makes the step count data-dependent.
    private static void WriteSummary(string folder, PretrainingResult result, int validationSamples)
    {
        var summary = new System.Text.Json.Nodes.JsonObject
        {
            ["steps"] = result.Losses.Count,
            ["bestStep"] = result.BestStep,
            ["validationSamples"] = validationSamples,
            ["validationMetric"] = "NDCG@10",
            ["validations"] = new System.Text.Json.Nodes.JsonArray([.. result.Validations.Select(v => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject { ["step"] = v.Step, ["value"] = Math.Round(v.Metric, 6) })]),
            ["firstLoss"] = Math.Round(result.Losses[0], 6),
            ["lastLoss"] = Math.Round(result.Losses[^1], 6),
            ["sequences"] = result.Sequences,
            ["tokens"] = result.Tokens,
            ["secondsPerStep"] = Math.Round(result.SecondsPerStep, 4),
        };
        IO.AtomicFile.WriteAllText(Path.Combine(folder, SummaryFileName), summary.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    // NDCG@10 of each sample's target in its exact ranking (ties to the lower index), averaged.
    private static double MeanNdcgAt10(float[][] scores, IReadOnlyList<RecommendationSample> samples)
    {
        double sum = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            int rank = CatalogRanking.RankOf<float>(scores[i], samples[i].Target, RankingDirection.HigherIsBetter);
            if (rank < 10)
                sum += 1 / Math.Log2(rank + 2);
        }
        return sum / samples.Count;
    }
}
