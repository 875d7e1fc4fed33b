namespace Soft.Models;

/// <summary>
/// A causal language model as SOFT uses it: scored on (prompt, target) pairs, decoded by greedy, sampling or beam
/// search, and used as a text encoder for grounding. No TorchSharp type appears here, so code that only needs
/// these operations can be tested without libtorch.
/// </summary>
public interface ILanguageModel : ITextEmbedder, IDisposable
{
    /// <summary>The model's tokenizer.</summary>
    ITextTokenizer Tokenizer { get; }

    /// <summary>Ids that end generation by default (from <c>generation_config.json</c>, else the tokenizer's EOS).</summary>
    IReadOnlyList<int> StopTokenIds { get; }

    /// <summary>
    /// Mean cross-entropy over all target tokens (EOS included) of <paramref name="batch"/>, prompt tokens masked,
    /// without gradients (evaluation).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="batch"/> is empty.</exception>
    double Loss(IReadOnlyList<PromptTarget> batch);

    /// <summary>Per pair, the sum of the log-probabilities of the target tokens and the appended EOS given the prompt.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    double[] LogLikelihood(IReadOnlyList<PromptTarget> batch);

    /// <summary>
    /// For each prompt, the log-probabilities of the ids <paramref name="firstTokenId"/> .. first + count − 1 as the
    /// next token, renormalised over those ids (a log-softmax over their logits): with item tokens, the model's exact
    /// distribution over the catalogue in one forward pass.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The id range is empty or leaves the model's vocabulary.</exception>
    float[][] NextTokenLogProbabilities(IReadOnlyList<string> prompts, int firstTokenId, int count);

    /// <summary>
    /// For one prompt, the summed log-probability of each continuation's tokens given the prompt (ids as given, EOS
    /// included only where the caller appends it). The prompt runs once; its KV cache is shared by all continuations,
    /// which run in batches, each on its own (shared prefixes are recomputed: catalogue scoring uses
    /// <see cref="TrieLogLikelihoods"/> instead).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The prompt encodes to no tokens, or a continuation is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    double[] ContinuationLogLikelihoods(string prompt, IReadOnlyList<IReadOnlyList<int>> continuations, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each prompt, the log-probability given the prompt of every prefix in <paramref name="trie"/>: entry n is
    /// the summed log-probability of the tokens on the path from the root to node n (0 for the root), so a complete
    /// node's entry is its whole sequence's log-likelihood, EOS included. Computed over the trie: a prefix shared by
    /// many sequences runs once per prompt, prompts run in batches, and each prompt's KV cache is shared by all nodes.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A prompt encodes to no tokens, or a prompt plus the longest sequence runs past the model's positions.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    double[][] TrieLogLikelihoods(IReadOnlyList<string> prompts, Generation.TokenTrie trie, CancellationToken cancellationToken = default);

    /// <summary>Continues each prompt; the outer list follows <paramref name="prompts"/>, the inner one is best first.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IReadOnlyList<IReadOnlyList<GeneratedSequence>> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="Generate"/>, for prompts that are already token ids (used as given, no BOS added).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid or a prompt is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IReadOnlyList<IReadOnlyList<GeneratedSequence>> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the model in Hugging Face layout (config.json, model.safetensors, generation_config.json, tokenizer
    /// files) to <paramref name="folder"/>; each file is written under a temporary name and then renamed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is null.</exception>
    void Save(string folder);
}
