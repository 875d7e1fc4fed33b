using Soft.Data;
using Soft.Runtime;

namespace Soft.Models.Scratch;

/// <summary>
/// Writes a randomly initialised LLaMA-style model with a catalogue tokenizer as a Hugging Face folder
/// (<c>config.json</c>, <c>generation_config.json</c>, <c>model.safetensors</c>, tokenizer files) that
/// <see cref="TorchLanguageModel.Load"/> reads like any downloaded checkpoint.
/// </summary>
internal static class ScratchModelBuilder
{
    /// <summary>
    /// Builds the compact tokenizer of <paramref name="dataset"/>'s catalogue (see
    /// <see cref="CatalogText.TokenizerCorpus"/>) and then the model, as <see cref="Build(string, CompactTokenizer, ScratchModelOptions, ModelLoadOptions?)"/>.
    /// </summary>
    /// <param name="folder">Where the model is written (created if needed; files of the same names are replaced).</param>
    /// <param name="dataset">The dataset whose titles, metadata and prompts the tokenizer must cover.</param>
    /// <param name="options">The model shape and seed.</param>
    /// <param name="template">The prompt template the model will read; <see langword="null"/> for the domain's Alpaca template.</param>
    /// <param name="loadOptions">Device and dtype of the returned model.</param>
    /// <returns>The model, loaded; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/>, <paramref name="dataset"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> break a rule; the message names each property.</exception>
    public static TorchLanguageModel Build(string folder, RecommendationDataset dataset, ScratchModelOptions options, PromptTemplate? template = null, ModelLoadOptions? loadOptions = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ScratchModelOptionsValidator.ThrowIfInvalid(options);
        return Build(folder, CompactTokenizer.Build(CatalogText.TokenizerCorpus(dataset, template)), options, loadOptions);
    }

    /// <summary>
    /// Writes <paramref name="tokenizer"/> and a model of shape <paramref name="options"/> whose weights are drawn
    /// N(0, <see cref="ScratchModelOptions.InitializerRange"/>) after seeding torch's default generator with
    /// <see cref="ScratchModelOptions.Seed"/> (so the same options give the same file), and returns the model.
    /// </summary>
    /// <param name="folder">Where the model is written (created if needed; files of the same names are replaced).</param>
    /// <param name="tokenizer">The tokenizer; its vocabulary size and special ids go into <c>config.json</c>.</param>
    /// <param name="options">The model shape and seed.</param>
    /// <param name="loadOptions">Device and dtype of the returned model.</param>
    /// <returns>The model, loaded; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/>, <paramref name="tokenizer"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> break a rule; the message names each property.</exception>
    public static TorchLanguageModel Build(string folder, CompactTokenizer tokenizer, ScratchModelOptions options, ModelLoadOptions? loadOptions = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        ScratchModelOptionsValidator.ThrowIfInvalid(options);
        tokenizer.Save(folder);
        SoftRuntime.Seed(options.Seed ?? SoftRandom.DefaultSeed);
        var model = TorchLanguageModel.Create(options.ToConfig(tokenizer), folder, loadOptions);
        try
        {
            model.Save(folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}
