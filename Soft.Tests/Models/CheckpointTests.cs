using System.Text.Json.Nodes;
using Soft.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>Saving and loading in Hugging Face layout, and the errors for bad folders.</summary>
[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "soft-models-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests()
    {
        ModelTestKit.Initialize();
        Directory.CreateDirectory(_scratch);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("stories")]
    [InlineData("gpt2")]
    public void Save_then_load_is_bit_exact(string which)
    {
        using var original = which == "stories" ? ModelTestKit.LoadStories() : ModelTestKit.LoadGpt2();
        string folder = Path.Combine(_scratch, which);
        original.Save(folder);
        using var reloaded = TorchLanguageModel.Load(folder, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
        AssertSameWeights(original, reloaded);
        Directory.GetFiles(folder).Select(Path.GetFileName).Should().NotContain(f => f!.EndsWith(".tmp", StringComparison.Ordinal));
        reloaded.Generate(["Hello"], new GenerationOptions { MaxNewTokens = 5 })[0][0].TokenIds
            .Should().Equal(original.Generate(["Hello"], new GenerationOptions { MaxNewTokens = 5 })[0][0].TokenIds);
    }

    [Fact]
    public void Saved_stories_weights_equal_the_original_file_tensor_for_tensor()
    {
        using var original = ModelTestKit.LoadStories();
        string folder = Path.Combine(_scratch, "copy");
        original.Save(folder);
        using var scope = NewDisposeScope();
        var source = SafetensorsFile.Read(Path.Combine(ModelTestKit.Stories, "model.safetensors"));
        var saved = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
        saved.Keys.Should().BeEquivalentTo(source.Keys);
        foreach (var (name, tensor) in source)
            saved[name].bytes.ToArray().Should().Equal(tensor.bytes.ToArray(), name);
        File.Exists(Path.Combine(folder, "tokenizer.model")).Should().BeTrue();
    }

    [Fact]
    public void Saving_over_an_existing_file_truncates_it()
    {
        using var model = ModelTestKit.LoadStories();
        string folder = Path.Combine(_scratch, "over");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), new byte[3_000_000]);
        model.Save(folder);
        new FileInfo(Path.Combine(folder, "model.safetensors")).Length.Should().BeLessThan(1_100_000);
    }

    [Fact]
    public void Random_toy_models_round_trip_and_tied_heads_are_one_parameter()
    {
        foreach (var (config, tied) in new[] { (ModelTestKit.ToyLlama(tied: true), true), (ModelTestKit.ToyLlama(tied: false), false), (ModelTestKit.ToyLlama(type: "qwen2"), false) })
        {
            using var model = TorchLanguageModel.Create(config, ModelTestKit.Stories, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
            var names = model.Module.named_parameters().Select(p => p.name).ToList();
            names.Contains("lm_head.weight").Should().Be(!tied);
            names.Should().OnlyHaveUniqueItems();
            bool qwen = config.ModelType == "qwen2";
            names.Contains("model.layers.0.self_attn.q_proj.bias").Should().Be(qwen);
            names.Should().NotContain("model.layers.0.self_attn.o_proj.bias");
            model.Module.named_parameters().Single(p => p.name == "model.layers.1.self_attn.k_proj.weight").parameter.shape.Should().Equal(16, 32);

            string folder = Path.Combine(_scratch, config.ModelType + tied);
            model.Save(folder);
            var header = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
            header.ContainsKey("lm_head.weight").Should().Be(!tied);
            using var reloaded = TorchLanguageModel.Load(folder, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
            reloaded.Config.Should().BeOfType<LlamaConfig>().Which.TieWordEmbeddings.Should().Be(tied);
            AssertSameWeights(model, reloaded);
        }
    }

    [Fact]
    public void Tied_head_gradient_reaches_the_single_embedding_parameter()
    {
        using var model = TorchLanguageModel.Create(ModelTestKit.ToyLlama(tied: true), ModelTestKit.Stories, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embedding = model.Module.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter;
        var before = ModelTestKit.Logits(model, [1, 5, 9]);
        embedding[7].mul_(3);
        var after = ModelTestKit.Logits(model, [1, 5, 9]);
        // Scaling one embedding row changes that token's logit everywhere: the head reads the same matrix.
        after[0][7].Should().NotBe(before[0][7]);
        model.Module.parameters().Count().Should().Be(model.Module.state_dict().Count);
    }

    [Fact]
    public void Missing_tensor_is_named()
    {
        string folder = CopyStories("missing", tensors => tensors.Remove("model.layers.3.mlp.up_proj.weight"));
        var act = () => TorchLanguageModel.Load(folder);
        act.Should().Throw<InvalidDataException>().WithMessage("*missing tensor 'model.layers.3.mlp.up_proj.weight'*[172, 64]*");
    }

    [Fact]
    public void Unexpected_and_misshaped_tensors_are_named_with_both_shapes()
    {
        string folder = CopyStories("shape", tensors =>
        {
            tensors["model.norm.weight"] = zeros(63);
            tensors["model.extra.weight"] = zeros(2);
        });
        var act = () => TorchLanguageModel.Load(folder);
        act.Should().Throw<InvalidDataException>()
            .WithMessage("*tensor 'model.norm.weight' has shape [63] in the checkpoint but the model expects [64]*")
            .WithMessage("*unexpected tensor 'model.extra.weight'*");
    }

    [Fact]
    public void Pickled_checkpoint_is_refused_without_opt_in()
    {
        string folder = CopyStories("pickled", _ => { });
        File.Move(Path.Combine(folder, "model.safetensors"), Path.Combine(folder, "pytorch_model.bin"));
        var act = () => TorchLanguageModel.Load(folder);
        act.Should().Throw<InvalidDataException>().WithMessage("*pytorch_model.bin*AllowPickledCheckpoints*");
    }

    [Fact]
    public void Pickled_checkpoint_loads_with_opt_in()
    {
        using var original = ModelTestKit.LoadStories();
        string folder = CopyStories("pickled-ok", _ => { });
        using (var scope = NewDisposeScope())
        {
            var tensors = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
            var table = new System.Collections.Hashtable();
            foreach (var (name, tensor) in tensors)
                table[name] = tensor;
            using var stream = new FileStream(Path.Combine(folder, "pytorch_model.bin"), FileMode.Create);
            TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(stream, table);
        }
        File.Delete(Path.Combine(folder, "model.safetensors"));
        using var loaded = TorchLanguageModel.Load(folder, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu, AllowPickledCheckpoints = true });
        AssertSameWeights(original, loaded);
    }

    [Fact]
    public void Weights_can_be_held_in_bfloat16()
    {
        using var model = TorchLanguageModel.Load(ModelTestKit.Stories, new ModelLoadOptions { Device = Soft.Runtime.DevicePreference.Cpu, DType = Soft.Runtime.SoftDType.BFloat16 });
        using var reference = ModelTestKit.LoadStories();
        model.Module.parameters().Select(p => p.dtype).Should().OnlyContain(t => t == ScalarType.BFloat16);
        var low = model.Embed(["Once upon a time"])[0];
        var full = reference.Embed(["Once upon a time"])[0];
        ModelTestKit.MaxAbsDiff(low, full.Select(f => (double)f).ToArray()).Should().BeLessThan(0.25);
        model.Generate(["Once upon a time"], new GenerationOptions { MaxNewTokens = 3 })[0][0].TokenIds.Should().HaveCount(3);
    }

    [Fact]
    public void Missing_tokenizer_and_weights_are_named()
    {
        string noTokenizer = CopyStories("notok", _ => { });
        File.Delete(Path.Combine(noTokenizer, "tokenizer.model"));
        var act = () => TorchLanguageModel.Load(noTokenizer);
        act.Should().Throw<FileNotFoundException>().WithMessage("*tokenizer.model*tokenizer.json*");

        string noWeights = CopyStories("noweights", _ => { });
        File.Delete(Path.Combine(noWeights, "model.safetensors"));
        act = () => TorchLanguageModel.Load(noWeights);
        act.Should().Throw<FileNotFoundException>().WithMessage("*model.safetensors*");
    }

    [Fact]
    public void Sharded_checkpoints_load()
    {
        using var original = ModelTestKit.LoadStories();
        string folder = CopyStories("sharded", _ => { });
        using (var scope = NewDisposeScope())
        {
            var all = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
            File.Delete(Path.Combine(folder, "model.safetensors"));
            var first = all.Where(kv => kv.Key.Contains("layers.0.", StringComparison.Ordinal)).ToList();
            var rest = all.Where(kv => !kv.Key.Contains("layers.0.", StringComparison.Ordinal)).ToList();
            SafetensorsFile.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), first.Select(kv => (kv.Key, kv.Value)));
            SafetensorsFile.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), rest.Select(kv => (kv.Key, kv.Value)));
            var map = new JsonObject();
            foreach (var kv in first)
                map[kv.Key] = "model-00001-of-00002.safetensors";
            foreach (var kv in rest)
                map[kv.Key] = "model-00002-of-00002.safetensors";
            File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), new JsonObject { ["weight_map"] = map }.ToJsonString());
        }
        using var sharded = TorchLanguageModel.Load(folder);
        AssertSameWeights(original, sharded);
    }

    [Fact]
    public void Bf16_weights_are_widened_to_fp32()
    {
        string folder = CopyStories("bf16", tensors =>
        {
            foreach (var key in tensors.Keys.ToList())
                tensors[key] = tensors[key].to(ScalarType.BFloat16);
        });
        using var model = TorchLanguageModel.Load(folder);
        using var original = ModelTestKit.LoadStories();
        using var scope = NewDisposeScope();
        var a = model.Module.state_dict();
        var b = original.Module.state_dict();
        foreach (var (name, tensor) in a)
        {
            tensor.dtype.Should().Be(ScalarType.Float32);
            tensor.allclose(b[name], rtol: 1e-2, atol: 1e-2).Should().BeTrue(name);
        }
    }

    private string CopyStories(string name, Action<Dictionary<string, Tensor>> edit)
    {
        string folder = Path.Combine(_scratch, name);
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(ModelTestKit.Stories))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        using var scope = NewDisposeScope();
        var tensors = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
        edit(tensors);
        SafetensorsFile.Write(Path.Combine(folder, "model.safetensors"), tensors.Select(kv => (kv.Key, kv.Value)));
        return folder;
    }

    private static void AssertSameWeights(TorchLanguageModel expected, TorchLanguageModel actual)
    {
        using var scope = NewDisposeScope();
        var a = expected.Module.state_dict();
        var b = actual.Module.state_dict();
        b.Keys.Should().BeEquivalentTo(a.Keys);
        foreach (var (name, tensor) in a)
            b[name].bytes.ToArray().Should().Equal(tensor.bytes.ToArray(), name);
    }
}
