using Soft.Models;

namespace Soft.Tests.Models;

/// <summary>config.json parsing and validation; no libtorch needed.</summary>
public sealed class ModelConfigTests
{
    [Fact]
    public void Stories_config_parses_as_llama_with_grouped_query_attention()
    {
        var config = ModelConfig.Load(Fixtures.Path("stories260K", "config.json")).Should().BeOfType<LlamaConfig>().Subject;
        config.KeyValueHeads.Should().Be(4);
        config.HeadDim.Should().Be(8);
        config.TiedEmbeddings.Should().BeTrue();
        config.Extra.Should().ContainKey("architectures");
    }

    [Fact]
    public void Gpt2_config_parses_with_inner_size_defaulting_to_four_times_width()
    {
        var config = ModelConfig.Load(Fixtures.Path("tiny-random-gpt2", "config.json")).Should().BeOfType<Gpt2Config>().Subject;
        config.InnerSize.Should().Be(128);
        config.LayerCount.Should().Be(5);
    }

    [Theory]
    [InlineData("\"num_key_value_heads\": 3", "num_key_value_heads")]
    [InlineData("\"hidden_act\": \"gelu\"", "hidden_act")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}", "rope_scaling.rope_type")]
    [InlineData("\"vocab_size\": 0", "vocab_size")]
    [InlineData("\"hidden_size\": \"wide\"", "hidden_size")]
    public void Invalid_fields_are_named(string field, string name)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse("""{"model_type": "llama", "vocab_size": 32, "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4}""")!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse("{" + field + "}")!.AsObject().ToList())
            json[key] = value?.DeepClone();
        var act = () => ModelConfig.Parse(json.ToJsonString(), "test/config.json");
        act.Should().Throw<InvalidDataException>().WithMessage($"*test/config.json*{name}*");
    }

    [Fact]
    public void Unknown_model_type_is_refused_by_name()
    {
        var act = () => ModelConfig.Parse("""{"model_type": "bert"}""", "x/config.json");
        act.Should().Throw<InvalidDataException>().WithMessage("*model_type*bert*");
    }

    [Fact]
    public void Config_round_trips_through_json_with_unknown_keys()
    {
        var config = ModelConfig.Load(Fixtures.Path("stories260K", "config.json"));
        var again = ModelConfig.Parse(config.ToJson(), "again");
        again.ToJson().Should().Be(config.ToJson());
        again.Extra!["pretraining_tp"].GetInt32().Should().Be(1);
    }

    [Fact]
    public void Llama3_rope_scaling_keeps_high_frequencies_and_divides_low_ones()
    {
        var config = new LlamaConfig
        {
            ModelType = "llama", VocabSize = 8, Hidden = 64, IntermediateSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 1,
            RopeTheta = 500000, RopeScaling = new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 },
        };
        config.Validate();
        var plain = new RotaryEmbedding(new LlamaConfig { ModelType = "llama", VocabSize = 8, Hidden = 64, IntermediateSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 1, RopeTheta = 500000 });
        var scaled = new RotaryEmbedding(config);
        for (int i = 0; i < 32; i++)
        {
            double wavelength = 2 * Math.PI / plain.InverseFrequencies[i];
            if (wavelength < 8192 / 4.0)
                scaled.InverseFrequencies[i].Should().Be(plain.InverseFrequencies[i]);
            else if (wavelength > 8192)
                scaled.InverseFrequencies[i].Should().BeApproximately(plain.InverseFrequencies[i] / 8, 1e-12f);
            else
                scaled.InverseFrequencies[i].Should().BeInRange(plain.InverseFrequencies[i] / 8, plain.InverseFrequencies[i]);
        }
        scaled.InverseFrequencies[0].Should().Be(1f);
        scaled.InverseFrequencies[31].Should().BeApproximately(plain.InverseFrequencies[31] / 8, 1e-12f);
    }
}
