using Soft.Models.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// A decoder-only transformer whose parameter names equal the Hugging Face state-dict keys. Training loops use
/// it through <see cref="TorchLanguageModel.Module"/> (parameters, train/eval, gradients).
/// </summary>
public abstract class CausalLMModule : nn.Module
{
    /// <summary>Names the module.</summary>
    protected CausalLMModule(string name) : base(name)
    {
    }

    /// <summary>
    /// Hidden states after the final norm (B, T, hidden) — Hugging Face's <c>hidden_states[-1]</c> — for
    /// <paramref name="inputIds"/> (B, T) with left padding marked false in <paramref name="attentionMask"/> (B, T).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Tensor HiddenStates(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        return Forward(inputIds, attentionMask, cache: null);
    }

    /// <summary>Next-token logits (…, vocab) for hidden states from <see cref="HiddenStates"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="hidden"/> is null.</exception>
    public abstract Tensor Logits(Tensor hidden);

    /// <summary>
    /// Runs this step's tokens (B, T); <paramref name="attentionMask"/> (B, S) covers the cached tokens and then this
    /// step's. Appends this step's keys and values to <paramref name="cache"/> when given.
    /// </summary>
    internal abstract Tensor Forward(Tensor inputIds, Tensor attentionMask, KvCache? cache);

    /// <summary>
    /// Runs this step's tokens (B, T) at explicit <paramref name="positions"/> (B, T) under a boolean
    /// <paramref name="mask"/> (B, 1, T, S), true = attend, whose keys are the cached tokens and then this step's: the
    /// caller decides who sees whom (a tree of continuations over one prompt cache, say). The positions must be
    /// below the model's <see cref="ModelConfig.MaxPositions"/>.
    /// </summary>
    internal abstract Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache);

    /// <summary>Number of transformer blocks (cache layers).</summary>
    internal abstract int LayerCount { get; }

    /// <summary>The input token embedding (vocab, hidden) and its module path (<c>model.embed_tokens</c>, <c>transformer.wte</c>).</summary>
    internal abstract (string Path, Parameter Weight) InputEmbedding { get; }

    /// <summary>An untied output head (vocab, hidden) and its module path (<c>lm_head</c>); null when the head multiplies by the input embedding.</summary>
    internal abstract (string Path, Parameter Weight)? OutputHead { get; }

    /// <summary>
    /// Token rows a LoRA adapter trains in place of the base rows of <see cref="InputEmbedding"/> and
    /// <see cref="OutputHead"/> (set by <see cref="LoraAdapter"/>); null when there are none. Subclasses pass the
    /// embedding's output and the logits through it.
    /// </summary>
    internal TrainableTokens? TrainableTokens { get; set; }

    /// <summary>
    /// State-dict entries renamed and reshaped to the Hugging Face checkpoint layout (what <c>save_pretrained</c>
    /// would write). The tensors may alias the parameters.
    /// </summary>
    internal virtual IEnumerable<(string Name, Tensor Value)> ToCheckpoint()
    {
        foreach (var (name, value) in state_dict())
            yield return (name, value);
    }

    /// <summary>
    /// Renames and reshapes checkpoint entries to this module's state-dict keys; entries that checkpoints carry but
    /// the module does not own (legacy buffers, a tied head) are dropped here.
    /// </summary>
    internal virtual IEnumerable<(string Name, Tensor Value)> FromCheckpoint(IEnumerable<(string Name, Tensor Value)> entries) => entries;

    /// <summary>Fresh Hugging Face-style initialisation: N(0, std) matrices, zero biases, unit norm gains.</summary>
    internal void InitializeWeights(double std)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() >= 2)
                nn.init.normal_(parameter, 0, std);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                nn.init.zeros_(parameter);
            else
                nn.init.ones_(parameter);
        }
    }
}
