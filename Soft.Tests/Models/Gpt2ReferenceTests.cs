using Soft.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>tiny-random-gpt2 against ONNX Runtime's greedy test and an independent float64 forward.</summary>
[Collection(TorchCollection.Name)]
public sealed class Gpt2ReferenceTests : IDisposable
{
    private readonly TorchLanguageModel _model;

    public Gpt2ReferenceTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadGpt2();
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Greedy_ids_equal_onnxruntime_expectations()
    {
        var verbatim = ModelTestKit.Json("tiny-random-gpt2", "expected", "ort_greedy_expected.json").GetProperty("verbatim");
        var inputs = verbatim.GetProperty("input_ids").EnumerateArray().Select(ModelTestKit.Ints).ToArray();
        var expected = verbatim.GetProperty("expected_output").EnumerateArray().Select(ModelTestKit.Ints).ToArray();
        int maxLength = verbatim.GetProperty("max_length").GetInt32();
        // Both rows have the same length, so the batch has no padding: the leading 0s are ordinary tokens.
        var results = _model.GenerateFromTokens(inputs, new GenerationOptions { MaxNewTokens = maxLength - inputs[0].Length });
        for (int i = 0; i < inputs.Length; i++)
            ((int[])[.. inputs[i], .. results[i][0].TokenIds]).Should().Equal(expected[i]);
    }

    [Fact]
    public void Beam_search_equals_onnxruntime_expectations()
    {
        // ONNX Runtime's BeamSearchTest.GptBeamSearchFp32 on an export of this model (num_beams 4, max_length 20,
        // length_penalty 1, one returned sequence); as in its greedy test, the 0s are ordinary tokens.
        int[][] inputs =
        [
            [0, 0, 0, 0, 0, 52, 195, 731, 321, 301, 734, 620],
            [41, 554, 74, 622, 206, 222, 75, 223, 221, 198, 224, 572],
            [0, 0, 0, 52, 328, 219, 328, 206, 288, 227, 896, 328],
        ];
        int[][] expectedContinuations =
        [
            [131, 131, 131, 181, 638, 638, 638, 638],
            [292, 292, 292, 292, 292, 292, 292, 292],
            [328, 669, 669, 669, 669, 669, 669, 669],
        ];
        var results = _model.GenerateFromTokens(inputs, new GenerationOptions { NumBeams = 4, MaxNewTokens = 8, LengthPenalty = 1.0 });
        for (int i = 0; i < inputs.Length; i++)
            results[i][0].TokenIds.Should().Equal(expectedContinuations[i], $"row {i}");
    }

    [Fact]
    public void Logits_match_the_independent_reference()
    {
        var cases = ModelTestKit.Json("tiny-random-gpt2", "expected", "pyref_logits.json").GetProperty("cases");
        foreach (var c in cases.EnumerateArray())
        {
            int[] ids = ModelTestKit.Ints(c.GetProperty("input_ids"));
            var logits = ModelTestKit.Logits(_model, ids);
            int t = 0;
            foreach (var row in c.GetProperty("logits").EnumerateArray())
            {
                double[] expected = row.EnumerateArray().Select(e => e.GetDouble()).ToArray();
                ModelTestKit.MaxAbsDiff(logits[t++], expected).Should().BeLessThan(1e-5);
            }
            t.Should().Be(ids.Length);
        }
    }

    [Fact]
    public void Tied_head_is_one_parameter_named_like_hugging_face()
    {
        var names = _model.Module.named_parameters().Select(p => p.name).ToList();
        names.Should().Contain("transformer.wte.weight").And.Contain("transformer.h.0.attn.c_attn.weight").And.NotContain(n => n.StartsWith("lm_head", StringComparison.Ordinal));
        // Linear layout after the Conv1D transpose: (3·n_embd, n_embd).
        _model.Module.named_parameters().Single(p => p.name == "transformer.h.0.attn.c_attn.weight").parameter.shape.Should().Equal(96, 32);
    }

    [Fact]
    public void Byte_level_bpe_round_trips_text()
    {
        var ids = _model.Tokenizer.Encode("Hello world, hello");
        ids.Should().NotBeEmpty();
        _model.Tokenizer.AddsBosToken.Should().BeFalse();
        _model.Tokenizer.EosTokenId.Should().Be(0);
        _model.Tokenizer.Decode(ids).Should().Be("Hello world, hello");
        // config.json's pad_token_id (98) is an ordinary token here: it pads batches but stays in decoded text.
        _model.Tokenizer.PadTokenId.Should().Be(98);
        _model.Tokenizer.Decode([98]).Should().NotBeEmpty();
        _model.Tokenizer.Decode([0]).Should().BeEmpty();
    }
}
