using Soft.Models;

namespace Soft.Tests.Evaluation;

/// <summary>
/// Wraps a real model, counts the prompts it is asked to continue, and can replace its answers (an oracle that
/// answers with a chosen text) while embedding and scoring stay real.
/// </summary>
internal sealed class DelegatingLanguageModel(ILanguageModel inner, Func<string, string?>? answer = null) : ILanguageModel
{
    public List<string> GeneratedPrompts { get; } = [];

    public ITextTokenizer Tokenizer => inner.Tokenizer;

    public IReadOnlyList<int> StopTokenIds => inner.StopTokenIds;

    public float[][] Embed(IReadOnlyList<string> texts) => inner.Embed(texts);

    public double Loss(IReadOnlyList<PromptTarget> batch) => inner.Loss(batch);

    public double[] LogLikelihood(IReadOnlyList<PromptTarget> batch) => inner.LogLikelihood(batch);

    public float[][] NextTokenLogProbabilities(IReadOnlyList<string> prompts, int firstTokenId, int count) => inner.NextTokenLogProbabilities(prompts, firstTokenId, count);

    public double[] ContinuationLogLikelihoods(string prompt, IReadOnlyList<IReadOnlyList<int>> continuations, CancellationToken cancellationToken = default) =>
        inner.ContinuationLogLikelihoods(prompt, continuations, cancellationToken);

    public double[][] TrieLogLikelihoods(IReadOnlyList<string> prompts, Soft.Generation.TokenTrie trie, CancellationToken cancellationToken = default) =>
        inner.TrieLogLikelihoods(prompts, trie, cancellationToken);

    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        GeneratedPrompts.AddRange(prompts);
        if (answer is null)
            return inner.Generate(prompts, options, cancellationToken);
        return [.. prompts.Select(p => (IReadOnlyList<GeneratedSequence>)[new GeneratedSequence([], answer(p) ?? string.Empty, 0, true)])];
    }

    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default) =>
        inner.GenerateFromTokens(prompts, options, cancellationToken);

    public void Save(string folder) => inner.Save(folder);

    // The wrapped model belongs to the test.
    public void Dispose()
    {
    }
}
