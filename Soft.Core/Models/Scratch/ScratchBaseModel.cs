using Soft.Data;

namespace Soft.Models.Scratch;

/// <summary>
/// A small base model made for a dataset when no pretrained LLM fits the machine: the compact catalogue tokenizer,
/// a seeded LLaMA of the given shape, and causal-LM pre-training on the catalogue's text (titles, metadata) and on the
/// training interactions written as plain lists of quoted titles. It stands in for the paper's pretrained LLM: it
/// knows the titles and which ones go together, but has never seen a prompt, so SFT still has to teach the task.
/// Only training samples are read, so validation and test targets never reach the base model.
/// </summary>
public static class ScratchBaseModel
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
    /// <returns>The pre-training losses and timing.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="shape"/> or <paramref name="pretraining"/> break a rule; the message names each property.</exception>
    public static PretrainingResult Build(string folder, RecommendationDataset dataset, PromptTemplate template, ScratchModelOptions shape, CatalogPretrainingOptions pretraining, IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(pretraining);
        var pretrainer = new CatalogPretrainer(pretraining);
        using var model = ScratchModelBuilder.Build(folder, dataset, shape, template);
        var texts = CatalogText.PretrainingTexts(dataset, includeMetadata: true).Concat(CatalogText.InteractionLists(dataset, template)).ToList();
        return pretrainer.Train(model, texts, folder, progress, cancellationToken);
    }
}
