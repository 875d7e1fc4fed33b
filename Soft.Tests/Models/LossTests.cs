using Soft.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>The training loss scores target tokens and EOS only, with left padding.</summary>
[Collection(TorchCollection.Name)]
public sealed class LossTests : IDisposable
{
    private readonly TorchLanguageModel _model;

    public LossTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Labels_mask_the_prompt_and_padding_and_end_with_eos()
    {
        var tokenizer = _model.Tokenizer;
        var prompt = tokenizer.Encode("Lily");
        var target = tokenizer.Encode("dog", addBos: false);
        var longer = tokenizer.Encode("Once upon a time");
        using var scope = NewDisposeScope();
        var (ids, mask, labels, counts) = TokenBatch.ForTraining(tokenizer, [new("Lily", "dog"), new("Once upon a time", "dog")], CPU);
        long[] row = labels[0].data<long>().ToArray();
        int pad = longer.Count - prompt.Count;
        long[] expected = [.. Enumerable.Repeat(-100L, pad + prompt.Count), .. target.Select(t => (long)t), 2L];
        row.Should().Equal(expected);
        mask[0].data<bool>().ToArray().Should().Equal([.. Enumerable.Repeat(false, pad), .. Enumerable.Repeat(true, prompt.Count + target.Count + 1)]);
        ids[1].data<long>().ToArray().Should().Equal([.. longer.Select(t => (long)t), .. target.Select(t => (long)t), 2L]);
        counts.Should().Equal(target.Count + 1, target.Count + 1);
    }

    [Fact]
    public void Loss_is_the_mean_negative_log_probability_of_target_tokens_only()
    {
        var pairs = new List<PromptTarget> { new("Once upon a time", "there was a girl"), new("Lily", "went home") };
        double[] logLikelihood = _model.LogLikelihood(pairs);
        for (int i = 0; i < pairs.Count; i++)
        {
            // Score by hand from a full forward: only positions that predict target tokens or EOS count.
            var prompt = _model.Tokenizer.Encode(pairs[i].Prompt);
            int[] sequence = [.. prompt, .. _model.Tokenizer.Encode(pairs[i].Target, addBos: false), 2];
            var logits = ModelTestKit.Logits(_model, sequence);
            double manual = 0;
            for (int t = prompt.Count; t < sequence.Length; t++)
            {
                var row = logits[t - 1];
                double max = row.Max();
                double logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                manual += row[sequence[t]] - logSum;
            }
            logLikelihood[i].Should().BeApproximately(manual, 1e-3);
        }

        int tokens = pairs.Sum(p => _model.Tokenizer.Encode(p.Target, addBos: false).Count + 1);
        _model.Loss(pairs).Should().BeApproximately(-logLikelihood.Sum() / tokens, 1e-4);
    }

    [Fact]
    public void Changing_the_prompt_alone_changes_nothing_but_context_and_changing_the_target_changes_the_loss()
    {
        // Same prompt tokens with a different target: the loss must move.
        double a = _model.Loss([new("Once upon a time", "there was a girl")]);
        double b = _model.Loss([new("Once upon a time", "the sun was hot")]);
        a.Should().NotBeApproximately(b, 1e-3);
        // A pair whose target is fixed: duplicating it in a batch with other prompts leaves its own loss unchanged,
        // so nothing from the neighbours (padding, their prompts) leaks into it.
        using var scope = NewDisposeScope();
        var alone = _model.ComputeSequenceLosses([new("Once upon a time", "there was a girl")]).item<float>();
        var together = _model.ComputeSequenceLosses([new("Once upon a time", "there was a girl"), new("A long long time ago in a land far away", "x")]).data<float>()[0];
        together.Should().BeApproximately(alone, 1e-5f);
    }

    [Fact]
    public void Weighted_loss_scales_each_pair_and_is_differentiable()
    {
        var pairs = new List<PromptTarget> { new("Lily", "went home"), new("Once upon a time", "there was a dog") };
        using var scope = NewDisposeScope();
        _model.Module.train();
        try
        {
            var plain = _model.ComputeLoss(pairs);
            var ones = _model.ComputeLoss(pairs, [1.0, 1.0]);
            ones.item<float>().Should().BeApproximately(plain.item<float>(), 1e-6f);
            var onlySecond = _model.ComputeLoss(pairs, [0.0, 1.0]);
            var onlyFirst = _model.ComputeLoss(pairs, [1.0, 0.0]);
            (onlyFirst.item<float>() + onlySecond.item<float>()).Should().BeApproximately(plain.item<float>(), 1e-5f);
            plain.requires_grad.Should().BeTrue();
            plain.backward();
            _model.Module.parameters().Select(p => p.grad is not null).Should().OnlyContain(hasGrad => hasGrad);
        }
        finally
        {
            _model.Module.zero_grad();
            _model.Module.eval();
        }
    }
}
