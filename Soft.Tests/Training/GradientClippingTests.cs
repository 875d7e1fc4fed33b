using Soft.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Tests.Training;

/// <summary>The one gradient clipping of the training loops: libtorch's clip_grad_norm_ over the parameters that have gradients.</summary>
[Collection(TorchCollection.Name)]
public sealed class GradientClippingTests
{
    // A parameter whose gradient is exactly `gradient`: the gradient of sum(p · gradient).
    private static Parameter WithGradient(params float[] gradient)
    {
        var parameter = new Parameter(zeros(gradient.Length));
        using var weights = tensor(gradient);
        using var loss = (parameter * weights).sum();
        loss.backward();
        return parameter;
    }

    private static float[] Gradient(Parameter p) => p.grad!.data<float>().ToArray();

    [Fact]
    public void Gradients_above_the_limit_are_scaled_to_it_and_the_norm_before_is_returned()
    {
        using var a = WithGradient(3, 0);
        using var b = WithGradient(4);
        using var none = new Parameter(zeros(2));

        GradientClipping.Clip([a, none, b], maxNorm: 1).Should().BeApproximately(5, 1e-6);

        Gradient(a).Should().Equal([0.6f, 0f], (x, y) => Math.Abs(x - y) < 1e-6);
        Gradient(b).Should().Equal([0.8f], (x, y) => Math.Abs(x - y) < 1e-6);
        none.grad.Should().BeNull("a parameter without a gradient is left out");
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(0.0)]
    public void Gradients_within_the_limit_or_without_one_are_left_alone_and_still_measured(double maxNorm)
    {
        using var a = WithGradient(3, 4);

        GradientClipping.Clip([a], maxNorm).Should().BeApproximately(5, 1e-6);

        Gradient(a).Should().Equal(3f, 4f);
    }

    [Fact]
    public void No_gradient_measures_zero_and_a_non_finite_one_is_reported()
    {
        using var none = new Parameter(zeros(2));
        GradientClipping.Clip([none], maxNorm: 1).Should().Be(0);

        using var broken = WithGradient(float.NaN, 1);
        double.IsFinite(GradientClipping.Clip([broken], maxNorm: 0)).Should().BeFalse("the caller skips the step on it");
    }
}
