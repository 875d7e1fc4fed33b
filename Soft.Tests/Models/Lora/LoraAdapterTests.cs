using Soft.Models.Lora;
using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

[Collection(TorchCollection.Name)]
public sealed class LoraAdapterTests
{
    private static readonly string[] Targeted =
    [
        "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj",
    ];

    public LoraAdapterTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = 5 });

    private static Tensor Tokens(long batch = 2, long length = 7) => randint(0, ToyCausalLM.Vocab, [batch, length]);

    [Fact]
    public void Inject_replaces_exactly_the_targeted_linears_in_registration_and_fields()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var keysBefore = model.state_dict().Keys.ToList();

        var adapter = LoraAdapter.Inject(model, new LoraOptions());

        adapter.Layers.Keys.Should().BeEquivalentTo(Targeted);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        modules.Where(m => m.Value is LoraLinear).Select(m => m.Key).Should().BeEquivalentTo(Targeted);
        foreach (var path in Targeted)
        {
            modules[path].Should().BeSameAs(adapter.Layers[path]);
        }

        modules.Where(m => m.Value is Linear).Select(m => m.Key).Should().BeEquivalentTo(
            Targeted.Select(p => p + ".base_layer")
                .Concat(Targeted.Select(p => p + ".lora_A"))
                .Concat(Targeted.Select(p => p + ".lora_B"))
                .Concat(["lm_head"])
                .Concat(new[] { 0, 1 }.SelectMany(i => new[] { "self_attn.k_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj" }
                    .Select(n => $"model.layers.{i}.{n}"))));

        // The parent's fields, which its forward calls, hold the wrappers too.
        model.Inner.Layer(0).Attention.QProj.Should().BeSameAs(adapter.Layers["model.layers.0.self_attn.q_proj"]);
        model.Inner.Layer(1).Attention.VProj.Should().BeSameAs(adapter.Layers["model.layers.1.self_attn.v_proj"]);

        // Base weights move under base_layer as in PEFT; every other key keeps its name and its place.
        var expectedKeys = keysBefore.SelectMany(k => Targeted.Any(p => k == p + ".weight")
            ? new[] { k.Replace(".weight", ".base_layer.weight"), k.Replace(".weight", ".lora_A.weight"), k.Replace(".weight", ".lora_B.weight") }
            : new[] { k });
        model.state_dict().Keys.Should().Equal(expectedKeys);
    }

    [Fact]
    public void Forward_runs_through_the_adapters_and_equals_the_base_model_at_init()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        model.eval();
        var tokens = Tokens();
        var baseLogits = model.call(tokens);

        var adapter = LoraAdapter.Inject(model, new LoraOptions());
        model.eval();
        model.call(tokens).Equals(baseLogits).Should().BeTrue("B starts at zero, so the update is exactly zero");

        using (no_grad())
        {
            adapter.Layers["model.layers.1.self_attn.v_proj"].LoraB.weight!.normal_();
        }

        var adapted = model.call(tokens);
        adapted.allclose(baseLogits, rtol: 1e-3, atol: 1e-3).Should().BeFalse("the model must call the wrapper it now holds");

        adapter.Enabled = false;
        model.call(tokens).Equals(baseLogits).Should().BeTrue();
        adapter.Enabled = true;
        model.call(tokens).Equals(adapted).Should().BeTrue();
    }

    [Fact]
    public void Injected_layers_take_the_training_mode_of_the_model()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        model.eval();
        var adapter = LoraAdapter.Inject(model, new LoraOptions { Dropout = 0.5 });
        adapter.Layers.Values.Should().OnlyContain(l => !l.training && !l.LoraA.training);
        using (no_grad())
        {
            foreach (var parameter in adapter.TrainableParameters())
            {
                parameter.normal_();
            }
        }

        var tokens = Tokens();
        model.call(tokens).Equals(model.call(tokens)).Should().BeTrue("a model in eval mode applies no adapter dropout");

        model.train();
        adapter.Layers.Values.Should().OnlyContain(l => l.training);
        model.call(tokens).Equals(model.call(tokens)).Should().BeFalse("training mode reaches the injected layers");
    }

    [Fact]
    public void AdamW_steps_change_every_adapter_matrix_and_nothing_else()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var adapter = LoraAdapter.Inject(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1 });
        var trainable = adapter.NamedTrainableParameters();
        trainable.Select(p => p.Name).Should().BeEquivalentTo(Targeted.SelectMany(p => new[] { p + ".lora_A.weight", p + ".lora_B.weight" }));
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name)
            .Should().BeEquivalentTo(trainable.Select(p => p.Name));

        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        model.train();
        using var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 1e-2);
        for (int step = 0; step < 3; step++)
        {
            TrainStep(model, optimizer);
        }

        var trainableNames = trainable.Select(p => p.Name).ToHashSet();
        foreach (var (name, parameter) in model.named_parameters())
        {
            bool same = parameter.Equals(before[name]);
            if (trainableNames.Contains(name))
            {
                same.Should().BeFalse($"{name} is an adapter matrix and must train");
            }
            else
            {
                same.Should().BeTrue($"{name} is frozen");
            }
        }
    }

    [Fact]
    public void Parameter_count_splits_adapter_and_frozen_elements()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        long baseTotal = model.parameters().Sum(p => p.numel());
        var adapter = LoraAdapter.Inject(model, new LoraOptions { Rank = 4 });

        long perLayer = 4 * ToyCausalLM.Hidden + ToyCausalLM.Hidden * 4;
        var count = adapter.CountParameters();
        count.Trainable.Should().Be(4 * perLayer);
        count.Total.Should().Be(baseTotal + 4 * perLayer);
        count.ToString().Should().Be(
            $"trainable params: {4 * perLayer:N0} || all params: {baseTotal + 4 * perLayer:N0} || trainable%: {100.0 * 4 * perLayer / (baseTotal + 4 * perLayer):0.####}");
    }

    [Fact]
    public void Merge_preserves_logits_and_unmerge_restores_every_base_weight()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var adapter = LoraAdapter.Inject(model, new LoraOptions());
        using (no_grad())
        {
            foreach (var parameter in adapter.TrainableParameters())
            {
                parameter.normal_(std: 0.2);
            }
        }

        var baseWeights = adapter.Layers.ToDictionary(l => l.Key, l => l.Value.BaseLayer.weight!.detach().clone());
        model.eval();
        var tokens = Tokens();
        var adapted = model.call(tokens);

        adapter.Merge();
        adapter.IsMerged.Should().BeTrue();
        model.call(tokens).allclose(adapted, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
        foreach (var (path, layer) in adapter.Layers)
        {
            layer.BaseLayer.weight!.allclose(baseWeights[path], rtol: 1e-4, atol: 1e-4).Should().BeFalse($"{path} must hold W + scaling·B·A");
        }

        adapter.Unmerge();
        adapter.IsMerged.Should().BeFalse();
        foreach (var (path, layer) in adapter.Layers)
        {
            layer.BaseLayer.weight!.allclose(baseWeights[path], rtol: 0, atol: 1e-6).Should().BeTrue(path);
        }

        model.call(tokens).allclose(adapted, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Unload_gives_back_the_original_model_and_allows_a_fresh_adapter()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        model.eval();
        var keys = model.state_dict().Keys.ToList();
        var originalQ = model.Inner.Layer(0).Attention.QProj;
        var tokens = Tokens();
        var baseLogits = model.call(tokens);

        var adapter = LoraAdapter.Inject(model, new LoraOptions());
        using (no_grad())
        {
            foreach (var parameter in adapter.TrainableParameters())
            {
                parameter.normal_();
            }
        }

        adapter.Merge();
        adapter.Unload().Should().BeSameAs(model);

        adapter.IsUnloaded.Should().BeTrue();
        model.named_modules().Should().NotContain(m => m.module is LoraLinear);
        model.Inner.Layer(0).Attention.QProj.Should().BeSameAs(originalQ);
        model.state_dict().Keys.Should().Equal(keys);
        model.named_parameters().Should().OnlyContain(p => p.parameter.requires_grad, "requires_grad is as it was before injection");
        model.call(tokens).allclose(baseLogits, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
        adapter.Invoking(a => a.Merge()).Should().Throw<InvalidOperationException>().WithMessage("*unloaded*");
        adapter.Invoking(a => a.TrainableParameters()).Should().Throw<InvalidOperationException>();

        var fresh = LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["k_proj"] });
        fresh.Layers.Should().HaveCount(2);
        model.call(tokens).Equals(model.call(tokens)).Should().BeTrue();
    }

    [Fact]
    public void MergeAndUnload_keeps_the_tuned_outputs_under_the_original_keys()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        model.eval();
        var keys = model.state_dict().Keys.ToList();
        var adapter = LoraAdapter.Inject(model, new LoraOptions());
        using (no_grad())
        {
            foreach (var parameter in adapter.TrainableParameters())
            {
                parameter.normal_(std: 0.2);
            }
        }

        var tokens = Tokens();
        var adapted = model.call(tokens);
        adapter.MergeAndUnload();

        model.named_modules().Should().NotContain(m => m.module is LoraLinear);
        model.state_dict().Keys.Should().Equal(keys);
        model.call(tokens).allclose(adapted, rtol: 1e-5, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Targets_follow_peft_rules_for_suffixes_and_full_match_patterns()
    {
        using (var model = new ToyCausalLM())
        {
            LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["self_attn.o_proj", "down_proj"] }).Layers.Keys
                .Should().BeEquivalentTo("model.layers.0.self_attn.o_proj", "model.layers.1.self_attn.o_proj",
                    "model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj");
        }

        using (var model = new ToyCausalLM())
        {
            // "proj" alone is no module's last name, so the list form must not match by substring.
            var act = () => LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["proj"] });
            act.Should().Throw<ArgumentException>();
        }

        using (var model = new ToyCausalLM())
        {
            LoraAdapter.Inject(model, new LoraOptions { TargetModulesPattern = @"model\.layers\.0\.self_attn\.(q|k)_proj" }).Layers.Keys
                .Should().BeEquivalentTo("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj");
        }
    }

    [Fact]
    public void No_match_names_the_targets_and_lists_available_modules()
    {
        using var model = new ToyCausalLM();
        var act = () => LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["query", "value"] });
        act.Should().Throw<ArgumentException>()
            .WithMessage("*[query, value]*")
            .And.Message.Should().Contain("q_proj").And.Contain("v_proj").And.Contain("model.layers.0.self_attn.q_proj");
    }

    [Fact]
    public void Non_linear_target_is_refused_by_path()
    {
        using var model = new ToyCausalLM();
        var act = () => LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["q_proj", "input_layernorm"] });
        act.Should().Throw<NotSupportedException>().WithMessage("*model.layers.0.input_layernorm*LayerNorm*");
        model.named_modules().Should().NotContain(m => m.module is LoraLinear, "a refused injection changes nothing");
    }

    [Fact]
    public void Linear_typed_field_is_refused_with_the_field_name_before_anything_changes()
    {
        using var model = new LinearTypedField();
        var act = () => LoraAdapter.Inject(model, new LoraOptions());
        act.Should().Throw<NotSupportedException>().WithMessage("*LinearTypedField.q_proj*Linear*Module<Tensor, Tensor>*");
        model.named_modules().Should().NotContain(m => m.module is LoraLinear);
        model.named_parameters().Should().OnlyContain(p => p.parameter.requires_grad);
    }

    [Fact]
    public void Layer_held_only_by_a_module_list_is_refused()
    {
        using var model = new LinearInList();
        var act = () => LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["heads.0"] });
        act.Should().Throw<NotSupportedException>().WithMessage("*heads.0*ModuleList*");
    }

    [Fact]
    public void Injecting_twice_is_refused()
    {
        using var model = new ToyCausalLM();
        LoraAdapter.Inject(model, new LoraOptions());
        var act = () => LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["k_proj"] });
        act.Should().Throw<InvalidOperationException>().WithMessage("*already*LoRA*");
    }

    [Fact]
    public void Invalid_options_are_all_reported_by_property_name()
    {
        using var model = new ToyCausalLM();
        var act = () => LoraAdapter.Inject(model, new LoraOptions { Rank = 0, Alpha = -1, Dropout = 1, TargetModules = [] });
        var message = act.Should().Throw<ArgumentException>().Which.Message;
        message.Should().Contain("Rank").And.Contain("Alpha").And.Contain("Dropout").And.Contain("TargetModules");

        new LoraOptionsValidator().Validate(null, new LoraOptions { TargetModulesPattern = "(" }).FailureMessage
            .Should().Contain("TargetModulesPattern");
        new LoraOptionsValidator().Validate(null, new LoraOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Adapters_injected_inside_a_dispose_scope_outlive_it()
    {
        using var model = new ToyCausalLM();
        LoraAdapter adapter;
        using (NewDisposeScope())
        {
            adapter = LoraAdapter.Inject(model, new LoraOptions());
        }

        using var scope = NewDisposeScope();
        model.call(Tokens()).shape.Should().Equal(2, 7, ToyCausalLM.Vocab);
        adapter.TrainableParameters().Should().OnlyContain(p => p.numel() > 0);
    }

    [Fact]
    public void A_scoped_training_step_leaves_no_live_tensors()
    {
        using var model = new ToyCausalLM();
        var adapter = LoraAdapter.Inject(model, new LoraOptions());
        model.train();
        using var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 1e-3);
        using (NewDisposeScope())
        {
            // The first step creates AdamW's state, which lives as long as the optimizer.
            TrainStep(model, optimizer);
        }

        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope())
        {
            TrainStep(model, optimizer);
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(0, DisposeScopeManager.Statistics.ToString());
    }

    [Fact]
    public void Merge_unmerge_save_and_load_leave_no_live_tensors_even_outside_a_scope()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"soft-lora-{Guid.NewGuid():N}");
        try
        {
            using var model = new ToyCausalLM();
            var adapter = LoraAdapter.Inject(model, new LoraOptions());
            DisposeScopeManager.Statistics.Reset();
            adapter.Merge();
            adapter.Unmerge();
            adapter.Save(folder);
            adapter.LoadWeights(folder);
            _ = adapter.CountParameters();
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(0, DisposeScopeManager.Statistics.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_layer_registered_on_the_root_module_can_be_targeted()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var adapter = LoraAdapter.Inject(model, new LoraOptions { TargetModules = ["lm_head"] });
        adapter.Layers.Keys.Should().Equal("lm_head");
        model.named_children().Select(c => c.name).Should().Equal("model", "lm_head");
        using (no_grad())
        {
            adapter.Layers["lm_head"].LoraB.weight!.normal_();
        }

        model.eval();
        var tokens = Tokens();
        var adapted = model.call(tokens);
        adapter.Enabled = false;
        model.call(tokens).allclose(adapted, rtol: 1e-3, atol: 1e-3).Should().BeFalse();
    }

    private static void TrainStep(ToyCausalLM model, optim.Optimizer optimizer)
    {
        var tokens = Tokens(4, 9);
        var logits = model.call(tokens[.., ..^1]); // (B, T-1, V)
        var loss = nn.functional.cross_entropy(logits.reshape(-1, ToyCausalLM.Vocab), tokens[.., 1..].reshape(-1));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }
}
