using System.Text.Json.Nodes;
using Soft.Models;

namespace Soft.Tests.Models;

/// <summary>Byte-level BPE from tokenizer.json alone, and with a Qwen2/Llama-3 style Split pre-tokenizer.</summary>
public sealed class TokenizerTests : IDisposable
{
    private const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private static readonly string[] Texts = ["Hello world", "The quick brown fox, jumps!", "a\nb  c", "caf\u00e9 42"];

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "soft-tok-" + Guid.NewGuid().ToString("N"));
    private readonly ModelConfig _config = ModelConfig.Load(Path.Combine(ModelTestKit.TinyGpt2, "config.json"));

    public TokenizerTests() => Directory.CreateDirectory(_scratch);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Tokenizer_json_alone_encodes_like_vocab_and_merges()
    {
        var files = HfTokenizer.Load(ModelTestKit.TinyGpt2, _config);
        string folder = Folder("json-only", json => { });
        var fromJson = HfTokenizer.Load(folder, _config);
        foreach (string text in Texts)
        {
            fromJson.Encode(text).Should().Equal(files.Encode(text), text);
            fromJson.Decode(fromJson.Encode(text)).Should().Be(text);
        }
        fromJson.EosTokenId.Should().Be(0);
    }

    [Fact]
    public void Split_pre_tokenizer_regex_and_special_tokens_are_honoured()
    {
        var gpt2 = HfTokenizer.Load(ModelTestKit.TinyGpt2, _config);
        string folder = Folder("qwen-style", json =>
        {
            json["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = QwenPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            };
            json["added_tokens"]!.AsArray().Add(new JsonObject { ["id"] = 1000, ["content"] = "<|im_start|>", ["special"] = true });
        });
        var qwen = HfTokenizer.Load(folder, _config);
        qwen.Inner.Should().BeOfType<Microsoft.ML.Tokenizers.BpeTokenizer>();
        gpt2.Inner.Should().BeOfType<Microsoft.ML.Tokenizers.BpeTokenizer>("CodeGenTokenizer adds 38 whitespace tokens no GPT-2 vocabulary has");
        // GPT-2's regex keeps " 2019" together and BPE merges it; the Split regex isolates every digit.
        qwen.Encode("x 2019 y").Should().NotEqual(gpt2.Encode("x 2019 y"));

        // Words split the same way under both regexes; digits are single pieces under the new one.
        qwen.Encode("Hello world").Should().Equal(gpt2.Encode("Hello world"));
        var digits = qwen.Encode("2019");
        digits.Should().HaveCount(4);
        digits.Select(id => qwen.Decode([id])).Should().Equal("2", "0", "1", "9");
        qwen.Encode("<|im_start|>Hello")[0].Should().Be(1000);
        foreach (string text in Texts)
            qwen.Decode(qwen.Encode(text)).Should().Be(text);
    }

    [Fact]
    public void A_post_processor_template_that_starts_with_bos_makes_encode_prepend_it()
    {
        string folder = Folder("llama3-style", json => json["post_processor"] = new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(
                new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|endoftext|>", ["type_id"] = 0 } },
                new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
        });
        var tokenizer = HfTokenizer.Load(folder, _config);
        tokenizer.AddsBosToken.Should().BeTrue();
        tokenizer.Encode("Hello")[0].Should().Be(0);
        tokenizer.Encode("Hello", addBos: false).Should().NotContain(0);
    }

    [Fact]
    public void Unsupported_tokenizer_json_model_is_named()
    {
        string folder = Folder("wordpiece", json => json["model"]!["type"] = "WordPiece");
        var act = () => HfTokenizer.Load(folder, _config);
        act.Should().Throw<InvalidDataException>().WithMessage("*tokenizer.json*BPE*");
    }

    private string Folder(string name, Action<JsonObject> edit)
    {
        string folder = Path.Combine(_scratch, name);
        Directory.CreateDirectory(folder);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelTestKit.TinyGpt2, "tokenizer.json")))!.AsObject();
        edit(json);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        foreach (string file in new[] { "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(ModelTestKit.TinyGpt2, file), Path.Combine(folder, file));
        return folder;
    }
}
