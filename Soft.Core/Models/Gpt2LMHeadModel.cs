using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>GPT-2 causal LM; the head is tied to <c>transformer.wte.weight</c> (one parameter, no lm_head module).</summary>
internal sealed class Gpt2LMHeadModel : CausalLMModule
{
    // OpenAI's checkpoints use Conv1D, whose weight is (in, out): these four must be transposed for Linear.
    // The square attn.c_proj would otherwise load without complaint and silently compute the wrong thing.
    private static readonly string[] Conv1DWeights = ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"];

    private readonly Gpt2Model transformer;

    public Gpt2LMHeadModel(Gpt2Config config) : base(nameof(Gpt2LMHeadModel))
    {
        config.Validate();
        transformer = new Gpt2Model(config);
        RegisterComponents();
    }

    internal override int LayerCount => transformer.LayerCount;

    internal override (string Path, Parameter Weight) InputEmbedding => ("transformer.wte", transformer.TokenEmbeddingWeight);

    internal override (string Path, Parameter Weight)? OutputHead => null;

    public override Tensor Logits(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var logits = nn.functional.linear(hidden, transformer.TokenEmbeddingWeight);
        return TrainableTokens is { } rows ? rows.Logits(hidden, logits) : logits;
    }

    internal override Tensor Forward(Tensor inputIds, Tensor attentionMask, KvCache? cache) =>
        transformer.Forward(inputIds, attentionMask, cache, TrainableTokens);

    internal override Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache) =>
        transformer.Forward(inputIds, positions, mask, cache, TrainableTokens);

    internal override IEnumerable<(string Name, Tensor Value)> ToCheckpoint()
    {
        foreach (var (name, value) in state_dict())
            yield return (name, IsConv1D(name) ? value.t() : value);
    }

    internal override IEnumerable<(string Name, Tensor Value)> FromCheckpoint(IEnumerable<(string Name, Tensor Value)> entries)
    {
        foreach (var (raw, value) in entries)
        {
            // The original OpenAI conversions have no "transformer." prefix; later saves do.
            string name = raw.StartsWith("transformer.", StringComparison.Ordinal) || raw.StartsWith("lm_head.", StringComparison.Ordinal)
                ? raw : "transformer." + raw;
            // Legacy causal-mask buffers and the tied head's duplicate are not parameters here.
            if (name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal) || name == "lm_head.weight")
                continue;
            yield return (name, IsConv1D(name) && value.dim() == 2 ? value.t() : value);
        }
    }

    private static bool IsConv1D(string name) => Conv1DWeights.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal));
}
