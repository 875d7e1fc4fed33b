using System.Text.Json;
using Soft.Models.Lora;
using Soft.Runtime;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

[Collection(TorchCollection.Name)]
public sealed class LoraSaveLoadTests : IDisposable
{
    private const long Seed = 21;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"soft-lora-{Guid.NewGuid():N}");

    public LoraSaveLoadTests() => Reseed();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static void Reseed() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = Seed });

    private static string[] PeftKeys(params string[] modulePaths) =>
        [.. modulePaths.SelectMany(p => new[] { $"base_model.model.{p}.lora_A.weight", $"base_model.model.{p}.lora_B.weight" })];

    private static LoraAdapter TrainedAdapter(ToyCausalLM model, LoraOptions options)
    {
        var adapter = LoraAdapter.Inject(model, options);
        using (no_grad())
        {
            foreach (var parameter in adapter.TrainableParameters())
            {
                parameter.normal_(std: 0.1);
            }
        }

        return adapter;
    }

    [Fact]
    public void Save_writes_peft_key_names_shapes_and_config()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var adapter = TrainedAdapter(model, new LoraOptions { Rank = 4, Alpha = 8, BaseModelNameOrPath = "toy/llama" });

        adapter.Save(_folder);

        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().BeEquivalentTo("adapter_config.json", "adapter_model.safetensors");
        var saved = Safetensors.LoadStateDict(Path.Combine(_folder, LoraAdapter.WeightsFileName));
        saved.Keys.Should().BeEquivalentTo(PeftKeys(
            "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
            "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"));
        saved["base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight"].shape.Should().Equal(4, ToyCausalLM.Hidden);
        saved["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"].shape.Should().Equal(ToyCausalLM.Hidden, 4);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, LoraAdapter.ConfigFileName)));
        var root = json.RootElement;
        root.GetProperty("peft_type").GetString().Should().Be("LORA");
        root.GetProperty("task_type").GetString().Should().Be("CAUSAL_LM");
        root.GetProperty("r").GetInt32().Should().Be(4);
        root.GetProperty("lora_alpha").GetDouble().Should().Be(8);
        root.GetProperty("lora_dropout").GetDouble().Should().Be(0.05);
        root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()).Should().Equal("q_proj", "v_proj");
        root.GetProperty("bias").GetString().Should().Be("none");
        root.GetProperty("fan_in_fan_out").GetBoolean().Should().BeFalse();
        root.GetProperty("inference_mode").GetBoolean().Should().BeTrue();
        root.GetProperty("use_dora").GetBoolean().Should().BeFalse();
        root.GetProperty("use_rslora").GetBoolean().Should().BeFalse();
        root.GetProperty("base_model_name_or_path").GetString().Should().Be("toy/llama");
        root.EnumerateObject().Select(p => p.Name).Should().BeInAscendingOrder(StringComparer.Ordinal, "PEFT writes sorted keys");
    }

    [Fact]
    public void Saved_file_passes_the_checks_of_a_strict_safetensors_reader()
    {
        using var scope = NewDisposeScope();
        using (var big = new ToyCausalLM())
        {
            // A larger earlier file at the same path must not leave trailing bytes behind.
            TrainedAdapter(big, new LoraOptions { Rank = 16 }).Save(_folder);
        }

        using var model = new ToyCausalLM();
        TrainedAdapter(model, new LoraOptions { Rank = 2 }).Save(_folder);

        // The Python reader refuses a header whose length is wrong, offsets with gaps, or bytes after the last tensor.
        byte[] bytes = File.ReadAllBytes(Path.Combine(_folder, LoraAdapter.WeightsFileName));
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var entries = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => (Name: p.Name,
                Shape: p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                DType: p.Value.GetProperty("dtype").GetString(),
                Start: p.Value.GetProperty("data_offsets")[0].GetInt64(),
                End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(e => e.Start)
            .ToList();
        entries.Should().HaveCount(8);
        long expectedStart = 0;
        foreach (var entry in entries)
        {
            entry.DType.Should().Be("F32");
            entry.Start.Should().Be(expectedStart, entry.Name);
            (entry.End - entry.Start).Should().Be(entry.Shape.Aggregate(4L, (a, b) => a * b), entry.Name);
            expectedStart = entry.End;
        }

        bytes.LongLength.Should().Be(8 + headerLength + expectedStart);
    }

    [Fact]
    public void Save_then_load_into_a_fresh_base_model_is_bit_exact()
    {
        using var scope = NewDisposeScope();
        var tokens = randint(0, ToyCausalLM.Vocab, [2, 6]);
        Reseed();
        using var source = new ToyCausalLM();
        var saved = TrainedAdapter(source, new LoraOptions { Rank = 2, Alpha = 5, TargetModules = ["q_proj", "v_proj", "down_proj"] });
        source.eval();
        var expected = source.call(tokens);
        saved.Save(_folder);

        Reseed();
        using var target = new ToyCausalLM();
        var loaded = LoraAdapter.Load(target, _folder);
        target.eval();

        loaded.Options.Rank.Should().Be(2);
        loaded.Options.Alpha.Should().Be(5);
        loaded.Layers.Keys.Should().BeEquivalentTo(saved.Layers.Keys);
        var sourceParameters = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            tensor.Equals(sourceParameters[name]).Should().BeTrue($"{name} must load bit for bit");
        }

        target.call(tokens).Equals(expected).Should().BeTrue();
        target.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name)
            .Should().BeEquivalentTo(loaded.NamedTrainableParameters().Select(p => p.Name));
    }

    [Fact]
    public void Saving_again_replaces_a_larger_earlier_file()
    {
        using var scope = NewDisposeScope();
        using (var big = new ToyCausalLM())
        {
            TrainedAdapter(big, new LoraOptions { Rank = 16 }).Save(_folder);
        }

        long bigSize = new FileInfo(Path.Combine(_folder, LoraAdapter.WeightsFileName)).Length;
        using var model = new ToyCausalLM();
        var small = TrainedAdapter(model, new LoraOptions { Rank = 2 });
        small.Save(_folder);

        new FileInfo(Path.Combine(_folder, LoraAdapter.WeightsFileName)).Length.Should().BeLessThan(bigSize);
        Directory.GetFiles(_folder).Should().HaveCount(2, "no temporary file may be left behind");
        using var fresh = new ToyCausalLM();
        var copy = LoraAdapter.Inject(fresh, new LoraOptions { Rank = 2 });
        copy.LoadWeights(_folder);
        copy.TrainableParameters().Zip(small.TrainableParameters()).Should().OnlyContain(p => p.First.Equals(p.Second));
    }

    [Fact]
    public void Config_with_another_rank_or_targets_is_refused_naming_both_values()
    {
        using var scope = NewDisposeScope();
        using (var model = new ToyCausalLM())
        {
            TrainedAdapter(model, new LoraOptions { Rank = 4 }).Save(_folder);
        }

        using var other = new ToyCausalLM();
        var adapter = LoraAdapter.Inject(other, new LoraOptions { Rank = 8, TargetModules = ["q_proj", "k_proj"] });
        var act = () => adapter.LoadWeights(_folder);
        act.Should().Throw<InvalidDataException>()
            .WithMessage("*r is 4 in the file but 8 in the model*")
            .And.Message.Should().Contain("[q_proj, v_proj]").And.Contain("[q_proj, k_proj]");
    }

    [Fact]
    public void Missing_unexpected_and_misshapen_keys_are_each_named()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        var adapter = TrainedAdapter(model, new LoraOptions { Rank = 4 });
        adapter.Save(_folder);
        string weights = Path.Combine(_folder, LoraAdapter.WeightsFileName);
        var tensors = Safetensors.LoadStateDict(weights);

        const string missing = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
        const string misshapen = "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight";
        const string unexpected = "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight";
        tensors.Remove(missing);
        tensors[misshapen] = zeros(ToyCausalLM.Hidden, 3);
        tensors[unexpected] = zeros(4, ToyCausalLM.Hidden);
        File.Delete(weights);
        Safetensors.SaveStateDict(weights, tensors);

        var before = adapter.TrainableParameters().Select(p => p.detach().clone()).ToList();
        var act = () => adapter.LoadWeights(_folder);
        var message = act.Should().Throw<InvalidDataException>().Which.Message;
        message.Should().Contain($"missing key '{missing}'");
        message.Should().Contain($"unexpected key '{unexpected}'");
        message.Should().Contain($"key '{misshapen}' has shape [{ToyCausalLM.Hidden}, 3] in the file but [{ToyCausalLM.Hidden}, 4] in the model");
        adapter.TrainableParameters().Zip(before).Should().OnlyContain(p => p.First.Equals(p.Second), "a refused load changes no weight");
    }

    [Fact]
    public void Loading_into_a_model_without_the_targets_names_them()
    {
        using var scope = NewDisposeScope();
        using (var model = new ToyCausalLM())
        {
            TrainedAdapter(model, new LoraOptions()).Save(_folder);
        }

        using var gpt = new ToyGpt2();
        var act = () => LoraAdapter.Load(gpt, _folder);
        act.Should().Throw<ArgumentException>().WithMessage("*[q_proj, v_proj]*c_attn*");
    }

    [Fact]
    public void Unsupported_peft_features_in_the_config_are_refused()
    {
        using var scope = NewDisposeScope();
        using (var model = new ToyCausalLM())
        {
            TrainedAdapter(model, new LoraOptions()).Save(_folder);
        }

        string config = Path.Combine(_folder, LoraAdapter.ConfigFileName);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"use_dora\": false", "\"use_dora\": true", StringComparison.Ordinal));
        using var target = new ToyCausalLM();
        var act = () => LoraAdapter.Load(target, _folder);
        act.Should().Throw<InvalidDataException>().WithMessage("*use_dora*");
        target.named_modules().Should().NotContain(m => m.module is LoraLinear);
    }

    [Fact]
    public void Regex_targets_round_trip_as_a_string()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyCausalLM();
        TrainedAdapter(model, new LoraOptions { TargetModulesPattern = @".*\.mlp\.(up|down)_proj" }).Save(_folder);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, LoraAdapter.ConfigFileName)));
        json.RootElement.GetProperty("target_modules").GetString().Should().Be(@".*\.mlp\.(up|down)_proj");
        using var target = new ToyCausalLM();
        LoraAdapter.Load(target, _folder).Layers.Should().HaveCount(4);
    }

    [Fact]
    public void Gpt2_adapter_records_fan_in_fan_out_with_the_shapes_peft_gives_conv1d()
    {
        using var scope = NewDisposeScope();
        using var model = new ToyGpt2();
        var adapter = LoraAdapter.Inject(model, LoraOptions.ForGpt2());
        adapter.Layers.Keys.Should().Equal("h0.attn.c_attn");
        adapter.Save(_folder);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, LoraAdapter.ConfigFileName)));
        json.RootElement.GetProperty("fan_in_fan_out").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()).Should().Equal("c_attn");
        // PEFT reads Conv1D's weight [in, out] as (in_features, out_features): lora_A [r, in], lora_B [out, r].
        var saved = Safetensors.LoadStateDict(Path.Combine(_folder, LoraAdapter.WeightsFileName));
        saved["base_model.model.h0.attn.c_attn.lora_A.weight"].shape.Should().Equal(8, ToyGpt2.Hidden);
        saved["base_model.model.h0.attn.c_attn.lora_B.weight"].shape.Should().Equal(3 * ToyGpt2.Hidden, 8);
    }
}
