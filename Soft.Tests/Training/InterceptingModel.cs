using Soft.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Tests.Training;

/// <summary>
/// A real model whose training losses are counted and, for the calls <c>poison</c> picks (0-based, in order), made NaN:
/// what a diverging model produces, without a hook in the trainer.
/// </summary>
internal sealed class InterceptingModel(TorchLanguageModel inner, Func<int, bool>? poison = null) : ITrainableLanguageModel
{
    /// <summary>Training losses computed so far (ComputeLoss and ComputeSoftTargetLoss calls).</summary>
    public int Losses { get; private set; }

    public ModelConfig Config => inner.Config;

    public CausalLMModule Module => inner.Module;

    public ITextTokenizer Tokenizer => inner.Tokenizer;

    public IReadOnlyList<int> StopTokenIds => inner.StopTokenIds;

    public Tensor ComputeLoss(IReadOnlyList<PromptTarget> batch, IReadOnlyList<double>? weights = null) =>
        Intercept(inner.ComputeLoss(batch, weights));

    public Tensor ComputeSoftTargetLoss(IReadOnlyList<string> prompts, IReadOnlyList<SoftTarget> targets) =>
        Intercept(inner.ComputeSoftTargetLoss(prompts, targets));

    // A poisoned call returns NaN, as a diverging model would; the graph stays connected so backward still runs.
    private Tensor Intercept(Tensor loss)
    {
        int call = Losses++;
        if (poison?.Invoke(call) != true)
            return loss;
        using var nan = float.NaN.ToScalar();
        return loss.mul(nan);
    }

    public double Loss(IReadOnlyList<PromptTarget> batch) => inner.Loss(batch);

    public double[] LogLikelihood(IReadOnlyList<PromptTarget> batch) => inner.LogLikelihood(batch);

    public float[][] NextTokenLogProbabilities(IReadOnlyList<string> prompts, int firstTokenId, int count) =>
        inner.NextTokenLogProbabilities(prompts, firstTokenId, count);

    public double[] ContinuationLogLikelihoods(string prompt, IReadOnlyList<IReadOnlyList<int>> continuations, CancellationToken cancellationToken = default) =>
        inner.ContinuationLogLikelihoods(prompt, continuations, cancellationToken);

    public double[][] TrieLogLikelihoods(IReadOnlyList<string> prompts, Soft.Generation.TokenTrie trie, CancellationToken cancellationToken = default) =>
        inner.TrieLogLikelihoods(prompts, trie, cancellationToken);

    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellationToken = default) =>
        inner.Generate(prompts, options, cancellationToken);

    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default) =>
        inner.GenerateFromTokens(prompts, options, cancellationToken);

    public float[][] Embed(IReadOnlyList<string> texts) => inner.Embed(texts);

    public void Save(string folder) => inner.Save(folder);

    public void Dispose() => inner.Dispose();
}
