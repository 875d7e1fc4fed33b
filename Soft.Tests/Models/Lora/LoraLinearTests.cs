using Soft.Models.Lora;
using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

[Collection(TorchCollection.Name)]
public sealed class LoraLinearTests
{
    public LoraLinearTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = 11 });

    [Fact]
    public void Fresh_adapter_has_peft_shapes_and_init_and_leaves_the_output_unchanged()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(24, 40), rank: 4, alpha: 8, dropout: 0);
        lora.LoraA.weight!.shape.Should().Equal(4, 24);
        lora.LoraB.weight!.shape.Should().Equal(40, 4);
        lora.Scaling.Should().Be(2);
        lora.LoraB.weight!.count_nonzero().item<long>().Should().Be(0);
        // Kaiming-uniform with a = sqrt(5) draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        double bound = 1 / Math.Sqrt(24);
        lora.LoraA.weight!.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)bound).And.BeGreaterThan((float)(bound / 2));
        lora.LoraA.weight!.std().item<float>().Should().BeApproximately((float)(bound / Math.Sqrt(3)), 0.02f);

        var x = randn(3, 5, 24);
        lora.call(x).Equals(lora.BaseLayer.call(x)).Should().BeTrue();
    }

    [Fact]
    public void Forward_adds_the_scaled_low_rank_update()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(16, 12), rank: 2, alpha: 6, dropout: 0.3);
        lora.eval();
        using (no_grad())
        {
            lora.LoraB.weight!.normal_();
        }

        var x = randn(4, 16);
        var w = lora.BaseLayer.weight!;
        var b = lora.BaseLayer.bias!;
        var expected = x.matmul(w.t()) + b + x.matmul(lora.LoraA.weight!.t()).matmul(lora.LoraB.weight!.t()) * 3.0;
        lora.call(x).allclose(expected, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Only_the_adapter_matrices_require_gradients()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(8, 8), rank: 2, alpha: 2, dropout: 0);
        lora.named_parameters().Select(p => (p.name, p.parameter.requires_grad)).Should().BeEquivalentTo(new[]
        {
            ("base_layer.weight", false), ("base_layer.bias", false), ("lora_A.weight", true), ("lora_B.weight", true),
        });
    }

    [Fact]
    public void Dropout_acts_on_the_adapter_input_in_training_only()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(32, 32), rank: 4, alpha: 4, dropout: 0.5);
        using (no_grad())
        {
            lora.LoraB.weight!.normal_();
        }

        var x = randn(6, 32);
        lora.train();
        lora.call(x).Equals(lora.call(x)).Should().BeFalse("two training passes draw different dropout masks");
        lora.eval();
        var first = lora.call(x);
        first.Equals(lora.call(x)).Should().BeTrue();
        var expected = lora.BaseLayer.call(x) + x.matmul(lora.LoraA.weight!.t()).matmul(lora.LoraB.weight!.t());
        first.allclose(expected, rtol: 1e-5, atol: 1e-5).Should().BeTrue("evaluation applies no dropout");
    }

    [Fact]
    public void Merge_keeps_the_output_and_unmerge_restores_the_base_weight()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(20, 30), rank: 4, alpha: 16, dropout: 0);
        using (no_grad())
        {
            lora.LoraB.weight!.normal_();
        }

        var original = lora.BaseLayer.weight!.detach().clone();
        var x = randn(5, 20);
        var before = lora.call(x);

        lora.Merge();
        lora.IsMerged.Should().BeTrue();
        lora.BaseLayer.weight!.allclose(original).Should().BeFalse();
        lora.call(x).allclose(before, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
        lora.Merge(); // a second merge must not add the update twice
        lora.call(x).allclose(before, rtol: 1e-5, atol: 1e-5).Should().BeTrue();

        lora.Unmerge();
        lora.IsMerged.Should().BeFalse();
        lora.BaseLayer.weight!.allclose(original, rtol: 0, atol: 1e-6).Should().BeTrue();
        lora.call(x).allclose(before, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Disabled_adapter_computes_the_base_layer_only_and_unmerges_first()
    {
        using var scope = NewDisposeScope();
        using var lora = new LoraLinear(nn.Linear(10, 10), rank: 2, alpha: 4, dropout: 0);
        using (no_grad())
        {
            lora.LoraB.weight!.normal_();
        }

        var x = randn(3, 10);
        var plain = x.matmul(lora.BaseLayer.weight!.t()) + lora.BaseLayer.bias!;
        var adapted = lora.call(x);
        adapted.allclose(plain, rtol: 1e-4, atol: 1e-4).Should().BeFalse();

        lora.Merge();
        lora.AdapterEnabled = false;
        lora.IsMerged.Should().BeFalse();
        lora.call(x).allclose(plain, rtol: 1e-5, atol: 1e-5).Should().BeTrue();

        lora.AdapterEnabled = true;
        lora.call(x).allclose(adapted, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }

    [Theory]
    [InlineData(0, 16, 0.0, "rank")]
    [InlineData(4, 0, 0.0, "alpha")]
    [InlineData(4, 16, 1.0, "dropout")]
    public void Constructor_rejects_out_of_range_numbers_by_name(int rank, double alpha, double dropout, string parameter)
    {
        using var linear = nn.Linear(4, 4);
        var act = () => new LoraLinear(linear, rank, alpha, dropout);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }
}
