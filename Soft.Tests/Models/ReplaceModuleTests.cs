using Soft.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>Adapters can wrap a projection: forward uses the wrapper and parameters carry PEFT-style names.</summary>
[Collection(TorchCollection.Name)]
public sealed class ReplaceModuleTests
{
    public ReplaceModuleTests() => ModelTestKit.Initialize();

    [Fact]
    public void A_wrapped_projection_is_used_by_forward_and_named_under_its_path()
    {
        using var model = ModelTestKit.LoadStories();
        int[] ids = [1, 403, 407, 261, 378];
        var before = ModelTestKit.Logits(model, ids);

        var original = model.Module.ReplaceModule("model.layers.0.self_attn.q_proj", inner => new Scaled(inner, 0));
        var names = model.Module.named_parameters().Select(p => p.name).ToList();
        names.Should().Contain("model.layers.0.self_attn.q_proj.base_layer.weight").And.NotContain("model.layers.0.self_attn.q_proj.weight");
        var zeroed = ModelTestKit.Logits(model, ids);
        zeroed[^1].Should().NotEqual(before[^1]);
        // Position 0 attends only to itself, so zero queries change nothing there: a check that only q changed.
        ModelTestKit.MaxAbsDiff(zeroed[0], before[0].Select(f => (double)f).ToArray()).Should().BeLessThan(1e-5);

        model.Module.ReplaceModule("model.layers.0.self_attn.q_proj", _ => original);
        ModelTestKit.Logits(model, ids)[^1].Should().Equal(before[^1]);
        model.Module.named_parameters().Select(p => p.name).Should().Contain("model.layers.0.self_attn.q_proj.weight");
    }

    [Fact]
    public void Unknown_paths_are_refused()
    {
        using var model = ModelTestKit.LoadStories();
        var act = () => model.Module.ReplaceModule("model.layers.0.self_attn.nope", m => m);
        act.Should().Throw<ArgumentException>().WithMessage("*model.layers.0.self_attn.nope*");
    }

    private sealed class Scaled : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> base_layer;
        private readonly double _factor;

        public Scaled(nn.Module<Tensor, Tensor> inner, double factor) : base(nameof(Scaled))
        {
            base_layer = inner;
            _factor = factor;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => base_layer.forward(input) * _factor;
    }
}
