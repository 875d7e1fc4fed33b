using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// A language model the pipeline can fine-tune: what <see cref="Pipeline.SoftTrainer"/>'s training loop needs besides
/// prompting it. <see cref="TorchLanguageModel"/> implements it for every architecture Soft loads; bring
/// your own (another architecture, a wrapper that changes the loss) through <see cref="Pipeline.LanguageModelSource"/>.
/// </summary>
/// <remarks>
/// Training needs the network itself, so unlike <see cref="ILanguageModel"/> this interface shows TorchSharp types:
/// the losses are differentiable scalars, and <see cref="Module"/> is what LoRA injects into, what full fine-tuning
/// trains (every parameter that requires a gradient) and what is switched between training and evaluation mode.
/// </remarks>
public interface ITrainableLanguageModel : ILanguageModel
{
    /// <summary>The model's shape (vocabulary size, context length), which the pipeline checks prompts against.</summary>
    ModelConfig Config { get; }

    /// <summary>The network whose parameters train.</summary>
    CausalLMModule Module { get; }

    /// <summary>
    /// Mean cross-entropy of each pair's target tokens given its prompt (teacher forcing), as a differentiable scalar;
    /// <paramref name="weights"/>, when given, weighs each pair's tokens.
    /// </summary>
    /// <param name="batch">Prompt–target pairs.</param>
    /// <param name="weights">One weight per pair, or null for equal weights.</param>
    /// <returns>A scalar tensor the caller disposes.</returns>
    Tensor ComputeLoss(IReadOnlyList<PromptTarget> batch, IReadOnlyList<double>? weights = null);

    /// <summary>Mean cross-entropy of each prompt's next-token distribution to its soft target, as a differentiable scalar.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="targets">One target distribution over token ids per prompt.</param>
    /// <returns>A scalar tensor the caller disposes.</returns>
    Tensor ComputeSoftTargetLoss(IReadOnlyList<string> prompts, IReadOnlyList<SoftTarget> targets);
}
