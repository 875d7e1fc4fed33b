using System.Text.Json;
using Soft.Models;

namespace Soft.Tests.Models;

/// <summary>stories260K against llama2.c's run.c: logits, greedy ids and texts, and SentencePiece encodings.</summary>
[Collection(TorchCollection.Name)]
public sealed class StoriesReferenceTests : IDisposable
{
    private readonly TorchLanguageModel _model;

    public StoriesReferenceTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Logits_match_run_c_at_every_position()
    {
        var reference = ModelTestKit.Json("stories260K", "expected", "runc_logits_A.json");
        int[] ids = ModelTestKit.Ints(reference.GetProperty("input_ids"));
        var logits = ModelTestKit.Logits(_model, ids);
        foreach (var row in reference.GetProperty("rows").EnumerateArray())
        {
            int pos = row.GetProperty("pos").GetInt32();
            double[] expected = row.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            ModelTestKit.MaxAbsDiff(logits[pos], expected).Should().BeLessThan(1e-4, $"position {pos}");
            Array.IndexOf(logits[pos], logits[pos].Max()).Should().Be(row.GetProperty("argmax").GetInt32());
        }
    }

    [Fact]
    public void Greedy_decoding_reproduces_every_run_c_case()
    {
        var cases = ModelTestKit.Json("stories260K", "expected", "runc_greedy_token_ids.json").GetProperty("cases");
        foreach (var c in cases.EnumerateArray())
        {
            int[] expected = ModelTestKit.Ints(c.GetProperty("token_ids"));
            var prompt = _model.Tokenizer.Encode(c.GetProperty("prompt").GetString()!);
            // run.c counts the prompt's tokens among its steps and prints one token per step.
            int newTokens = c.GetProperty("steps").GetInt32() + 1 - prompt.Count;
            var result = _model.GenerateFromTokens([prompt], new GenerationOptions { MaxNewTokens = newTokens })[0][0];
            int[] actual = [.. prompt, .. result.TokenIds];
            actual.Should().Equal(expected, c.GetProperty("cmd").GetString());
        }
    }

    [Fact]
    public void Greedy_texts_equal_run_c_stdout()
    {
        string fromBos = File.ReadAllText(Fixtures.Path("stories260K", "expected", "runc_t0_n200_stdout.txt"));
        var fromBosResult = _model.GenerateFromTokens([[1]], new GenerationOptions { MaxNewTokens = 200 })[0][0];
        fromBosResult.Text.Should().Be(fromBos[..^1]);

        string withPrompt = File.ReadAllText(Fixtures.Path("stories260K", "expected", "runc_t0_n64_prompt_stdout.txt"));
        var prompt = _model.Tokenizer.Encode("Once upon a time");
        var continuation = _model.Generate(["Once upon a time"], new GenerationOptions { MaxNewTokens = 65 - prompt.Count })[0][0];
        _model.Tokenizer.Decode([.. prompt, .. continuation.TokenIds]).Should().Be(withPrompt[..^1]);
    }

    [Fact]
    public void SentencePiece_encodings_equal_run_c_where_they_agree()
    {
        var cases = ModelTestKit.Json("stories260K", "expected", "runc_encode.json").GetProperty("cases");
        int compared = 0;
        foreach (var c in cases.EnumerateArray())
        {
            string text = c.GetProperty("text").GetString()!;
            // The file's caveat: run.c keeps repeated spaces that SentencePiece collapses.
            if (text.Contains("  ", StringComparison.Ordinal))
                continue;
            _model.Tokenizer.Encode(text).Should().Equal(ModelTestKit.Ints(c.GetProperty("ids")), $"text {JsonSerializer.Serialize(text)}");
            compared++;
        }
        compared.Should().Be(9);
    }

    [Fact]
    public void Special_ids_come_from_the_sentencepiece_model()
    {
        _model.Tokenizer.BosTokenId.Should().Be(1);
        _model.Tokenizer.EosTokenId.Should().Be(2);
        _model.Tokenizer.AddsBosToken.Should().BeTrue();
        _model.StopTokenIds.Should().Equal(2);
    }
}
