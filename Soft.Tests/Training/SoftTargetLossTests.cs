using Soft.Models;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>The soft-label loss is the cross-entropy from the renormalised target probabilities to the next-token distribution.</summary>
[Collection(TorchCollection.Name)]
public sealed class SoftTargetLossTests
{
    public SoftTargetLossTests() => ModelTestKit.Initialize();

    [Fact]
    public void Loss_equals_the_cross_entropy_computed_from_full_forward_logits()
    {
        using var model = ModelTestKit.LoadStories();
        string[] prompts = ["Once upon a time", "The cat"];
        SoftTarget[] targets = [new([10, 20, 30], [0.2, 0.2, 0.4]), new([5], [3.0])];

        double loss = model.ComputeSoftTargetLoss(prompts, targets).item<float>();

        double expected = 0;
        for (int b = 0; b < prompts.Length; b++)
        {
            var last = ModelTestKit.Logits(model, model.Tokenizer.Encode(prompts[b]))[^1];
            double max = last.Max();
            double logSum = max + Math.Log(last.Sum(v => Math.Exp(v - max)));
            double sum = targets[b].Probabilities.Sum();
            for (int k = 0; k < targets[b].TokenIds.Count; k++)
                expected -= targets[b].Probabilities[k] / sum * (last[targets[b].TokenIds[k]] - logSum);
        }
        loss.Should().BeApproximately(expected / prompts.Length, 1e-4);
    }

    [Fact]
    public void A_target_without_mass_or_with_mismatched_lengths_is_refused()
    {
        using var model = ModelTestKit.LoadStories();
        var zero = () => model.ComputeSoftTargetLoss(["a"], [new SoftTarget([1], [0.0])]);
        zero.Should().Throw<ArgumentException>().WithMessage("*Soft target 0*positive sum*");
        var count = () => model.ComputeSoftTargetLoss(["a", "b"], [new SoftTarget([1], [1.0])]);
        count.Should().Throw<ArgumentException>().WithMessage("*2 prompts for 1 soft targets*");
    }
}
