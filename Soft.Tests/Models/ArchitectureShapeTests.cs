using Soft.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>
/// Real-size configs built on the meta device (no memory): parameter names and shapes must be the Hugging Face
/// state-dict of that model, so its safetensors load strictly.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ArchitectureShapeTests
{
    public ArchitectureShapeTests() => ModelTestKit.Initialize();

    [Fact]
    public void Qwen2_0_5B_has_qkv_biases_grouped_kv_and_a_tied_head()
    {
        var config = (LlamaConfig)ModelConfig.Parse("""
            {"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
             "num_attention_heads": 14, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
             "tie_word_embeddings": true, "use_sliding_window": false, "sliding_window": 32768, "max_window_layers": 21, "hidden_act": "silu"}
            """, "qwen2/config.json");
        var shapes = Shapes(() => new LlamaForCausalLM(config));
        shapes.Should().HaveCount(1 + 24 * 12 + 1);
        shapes["model.embed_tokens.weight"].Should().Equal(151936, 896);
        shapes["model.layers.23.self_attn.q_proj.weight"].Should().Equal(896, 896);
        shapes["model.layers.23.self_attn.q_proj.bias"].Should().Equal(896);
        shapes["model.layers.23.self_attn.k_proj.weight"].Should().Equal(128, 896);
        shapes["model.layers.23.self_attn.v_proj.bias"].Should().Equal(128);
        shapes.Should().NotContainKey("model.layers.0.self_attn.o_proj.bias").And.NotContainKey("lm_head.weight");
        shapes["model.layers.0.mlp.down_proj.weight"].Should().Equal(896, 4864);
        shapes["model.norm.weight"].Should().Equal(896);
    }

    [Fact]
    public void Llama_3_2_1B_uses_llama3_rope_scaling_and_an_explicit_head_dim()
    {
        var config = (LlamaConfig)ModelConfig.Parse("""
            {"model_type": "llama", "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
             "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "tie_word_embeddings": true, "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]}
            """, "llama/config.json");
        var shapes = Shapes(() => new LlamaForCausalLM(config));
        shapes.Should().HaveCount(1 + 16 * 9 + 1);
        shapes["model.layers.15.self_attn.k_proj.weight"].Should().Equal(512, 2048);
        shapes["model.layers.15.self_attn.o_proj.weight"].Should().Equal(2048, 2048);
        ModelConfig.Ids(config.EosTokenId).Should().Equal(128001, 128008, 128009);
    }

    [Fact]
    public void Gpt2_small_parameters_are_the_transposed_conv1d_layout()
    {
        var config = new Gpt2Config { ModelType = "gpt2", VocabSize = 50257 };
        var shapes = Shapes(() => new Gpt2LMHeadModel(config));
        shapes.Should().HaveCount(2 + 12 * 12 + 2);
        shapes["transformer.h.11.attn.c_attn.weight"].Should().Equal(2304, 768);
        shapes["transformer.h.11.mlp.c_fc.weight"].Should().Equal(3072, 768);
        shapes["transformer.wpe.weight"].Should().Equal(1024, 768);
    }

    private static Dictionary<string, long[]> Shapes(Func<CausalLMModule> build)
    {
        set_default_device(META);
        try
        {
            using var module = build();
            module.parameters().Should().OnlyContain(p => p.device_type == TorchSharp.DeviceType.META);
            return module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        }
        finally
        {
            set_default_device(CPU);
        }
    }
}
