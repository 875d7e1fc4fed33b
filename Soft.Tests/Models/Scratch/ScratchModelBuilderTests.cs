using System.Text.Json;
using Soft.Data;
using Soft.Models;
using Soft.Models.Scratch;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Scratch;

/// <summary>A scratch model folder is a Hugging Face LLaMA folder that reloads bit for bit.</summary>
[Collection(TorchCollection.Name)]
public sealed class ScratchModelBuilderTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };

    public ScratchModelBuilderTests() => ModelTestKit.Initialize();

    /// <summary>A compact tokenizer over a few hundred LastFM titles: small and quick to build.</summary>
    internal static CompactTokenizer SmallTokenizer(out IReadOnlyList<string> titles, int count = 300)
    {
        titles = EmbeddedDatasets.LastFmSequences().Catalog.Items.Take(count).Select(i => i.Title).ToList();
        return CompactTokenizer.Build(titles.Concat(titles.Select(TitleQuoting.Quote)));
    }

    [Fact]
    public void Saved_folder_reloads_through_TorchLanguageModel_Load_with_bit_exact_weights()
    {
        using var folder = new TempFolder();
        var tokenizer = SmallTokenizer(out var titles);
        using var built = ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        using var loaded = TorchLanguageModel.Load(folder.Path, Cpu);

        var expected = built.Module.state_dict();
        var actual = loaded.Module.state_dict();
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, tensor) in expected)
            actual[name].data<float>().ToArray().Should().Equal(tensor.data<float>().ToArray(), name);
        loaded.Tokenizer.Encode(titles[0]).Should().Equal(built.Tokenizer.Encode(titles[0]));
        loaded.LogLikelihood([new("", titles[1])]).Should().Equal(built.LogLikelihood([new("", titles[1])]));
    }

    [Fact]
    public void Config_is_a_tied_llama_with_rope_10000_and_the_tokenizers_special_ids()
    {
        using var folder = new TempFolder();
        var tokenizer = SmallTokenizer(out _);
        using (ScratchModelBuilder.Build(folder.Path, tokenizer, ScratchModelOptions.Tiny, Cpu))
        {
        }
        var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("config.json"))).RootElement;
        config.GetProperty("model_type").GetString().Should().Be("llama");
        config.GetProperty("architectures")[0].GetString().Should().Be("LlamaForCausalLM");
        config.GetProperty("tie_word_embeddings").GetBoolean().Should().BeTrue();
        config.GetProperty("rope_theta").GetDouble().Should().Be(10000);
        config.GetProperty("vocab_size").GetInt32().Should().Be(tokenizer.VocabularySize);
        (config.GetProperty("bos_token_id").GetInt32(), config.GetProperty("eos_token_id").GetInt32(), config.GetProperty("pad_token_id").GetInt32())
            .Should().Be((tokenizer.BosTokenId, tokenizer.EosTokenId, tokenizer.PadTokenId));
        File.Exists(folder.Combine("model.safetensors")).Should().BeTrue();
        File.Exists(folder.Combine("vocab.json")).Should().BeTrue();
        Directory.GetFiles(folder.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_other_weights()
    {
        var tokenizer = SmallTokenizer(out _);
        using var a = new TempFolder();
        using var b = new TempFolder();
        using var c = new TempFolder();
        using var first = ScratchModelBuilder.Build(a.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        // Something else draws from torch's generator in between: the seed option must still decide.
        using (randn(100))
        {
        }
        using var second = ScratchModelBuilder.Build(b.Path, tokenizer, ScratchModelOptions.Tiny, Cpu);
        var other = ScratchModelOptions.Tiny;
        other.Seed = 43;
        using var third = ScratchModelBuilder.Build(c.Path, tokenizer, other, Cpu);
        File.ReadAllBytes(b.Combine("model.safetensors")).Should().Equal(File.ReadAllBytes(a.Combine("model.safetensors")));
        File.ReadAllBytes(c.Combine("model.safetensors")).Should().NotEqual(File.ReadAllBytes(a.Combine("model.safetensors")));
    }

    [Fact]
    public void Parameter_count_formula_matches_the_built_module_and_the_presets_have_their_sizes()
    {
        var tokenizer = SmallTokenizer(out _);
        using var folder = new TempFolder();
        var shape = new ScratchModelOptions { HiddenSize = 48, Layers = 2, Heads = 6, KeyValueHeads = 3, IntermediateSize = 80 };
        using var model = ScratchModelBuilder.Build(folder.Path, tokenizer, shape, Cpu);
        long actual = model.Module.parameters().Sum(p => p.numel());
        shape.ParameterCount(tokenizer.VocabularySize).Should().Be(actual);

        const int lastFm = 6792; // CompactTokenizerTests measures it
        foreach (var (preset, name) in new[] { (ScratchModelOptions.Tiny, "Tiny"), (ScratchModelOptions.Small, "Small"), (ScratchModelOptions.Base, "Base") })
            Console.WriteLine($"{name}: {preset.ParameterCount(lastFm):N0} parameters with LastFM's vocabulary");
        ScratchModelOptions.Tiny.ParameterCount(lastFm).Should().BeInRange(250_000, 350_000);
        ScratchModelOptions.Small.ParameterCount(lastFm).Should().BeInRange(900_000, 1_200_000);
        ScratchModelOptions.Base.ParameterCount(lastFm).Should().BeInRange(4_500_000, 5_500_000);
    }

    [Fact]
    public void Building_from_a_dataset_gives_a_tokenizer_that_covers_its_prompts_compactly()
    {
        var dataset = EmbeddedDatasets.LastFm();
        using var folder = new TempFolder();
        using var model = ScratchModelBuilder.Build(folder.Path, dataset, ScratchModelOptions.Tiny, loadOptions: Cpu);
        model.Config.VocabSize.Should().Be(model.Tokenizer.VocabularySize).And.BeLessThan(10_000);
        var prompt = dataset.Prompt(dataset.Train[0]);
        string text = prompt.Prompt + prompt.Completion;
        var ids = model.Tokenizer.Encode(text, addBos: false);
        model.Tokenizer.Decode(ids).Should().Be(text);
        // GPT-2 pieces, not bytes: a prompt of ten artists costs far fewer tokens than characters.
        ids.Count.Should().BeLessThan(text.Length / 3);
    }

    [Fact]
    public void Invalid_shapes_are_rejected_naming_each_option()
    {
        var options = new ScratchModelOptions { HiddenSize = 30, Heads = 4, KeyValueHeads = 3, Layers = 0, InitializerRange = double.NaN };
        var result = new ScratchModelOptionsValidator().Validate(null, options);
        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Heads").And.Contain("KeyValueHeads").And.Contain("Layers").And.Contain("InitializerRange");
        new ScratchModelOptionsValidator().Validate(null, ScratchModelOptions.Base).Succeeded.Should().BeTrue();
        using var folder = new TempFolder();
        var build = () => ScratchModelBuilder.Build(folder.Path, SmallTokenizer(out _, 20), options, Cpu);
        build.Should().Throw<ArgumentException>().WithMessage("*Layers*");
        Directory.GetFiles(folder.Path).Should().BeEmpty("nothing is written for invalid options");
    }
}
