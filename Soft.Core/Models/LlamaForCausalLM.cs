using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// LLaMA-family causal LM (LLaMA 1–3, Qwen2). With tied embeddings there is no <c>lm_head</c> module at all: the
/// logits multiply by <c>model.embed_tokens.weight</c>, so the matrix is one parameter and HF checkpoints that
/// omit <c>lm_head.weight</c> load as they are.
/// </summary>
internal sealed class LlamaForCausalLM : CausalLMModule
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(LlamaConfig config) : base(nameof(LlamaForCausalLM))
    {
        config.Validate();
        model = new LlamaModel(config);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.Hidden, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    internal override int LayerCount => model.LayerCount;

    internal override (string Path, Parameter Weight) InputEmbedding => ("model.embed_tokens", model.EmbeddingWeight);

    internal override (string Path, Parameter Weight)? OutputHead => lm_head is null ? null : ("lm_head", lm_head.weight!);

    public override Tensor Logits(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var logits = lm_head is null ? nn.functional.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);
        return TrainableTokens is { } rows ? rows.Logits(hidden, logits) : logits;
    }

    internal override Tensor Forward(Tensor inputIds, Tensor attentionMask, KvCache? cache) =>
        model.Forward(inputIds, attentionMask, cache, TrainableTokens);

    internal override Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache) =>
        model.Forward(inputIds, positions, mask, cache, TrainableTokens);

    internal override IEnumerable<(string Name, Tensor Value)> FromCheckpoint(IEnumerable<(string Name, Tensor Value)> entries) =>
        // Some tied checkpoints still carry a copy of the head; the embedding is the one parameter we keep.
        lm_head is null ? entries.Where(e => e.Name != "lm_head.weight") : entries;
}
