using Soft.Models;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>Properties any correct decoder must have: cache = full forward, padding invariance, beam 1 = greedy.</summary>
[Collection(TorchCollection.Name)]
public sealed class DecodingInvariantTests : IDisposable
{
    private static readonly int[] Sequence = [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298];

    private readonly TorchLanguageModel _stories;
    private readonly TorchLanguageModel _gpt2;

    public DecodingInvariantTests()
    {
        ModelTestKit.Initialize();
        _stories = ModelTestKit.LoadStories();
        _gpt2 = ModelTestKit.LoadGpt2();
    }

    public void Dispose()
    {
        _stories.Dispose();
        _gpt2.Dispose();
    }

    [Theory]
    [InlineData("stories")]
    [InlineData("gpt2")]
    public void Cached_decoding_equals_a_full_forward(string which)
    {
        var model = which == "stories" ? _stories : _gpt2;
        var full = ModelTestKit.Logits(model, Sequence);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var session = new DecodingSession(model.Module);
        const int prefix = 4;
        // Float32 rounding: the cached step multiplies one row, the full forward the whole sequence, and the CPU's
        // kernels sum in another order for each; stories260K's logits differ by up to 1.05e-5 on this machine's CPU.
        // A broken cache is off by whole units.
        const double tolerance = 5e-5;
        var first = session.Prefill(tensor(Sequence[..prefix].Select(i => (long)i).ToArray(), [1, prefix]), ones(1, prefix, dtype: ScalarType.Bool));
        ModelTestKit.MaxAbsDiff(ModelTestKit.Rows(first)[0], full[prefix - 1].Select(f => (double)f).ToArray()).Should().BeLessThan(tolerance);
        for (int t = prefix; t < Sequence.Length; t++)
        {
            var step = session.Step(tensor(new long[] { Sequence[t] }));
            ModelTestKit.MaxAbsDiff(ModelTestKit.Rows(step)[0], full[t].Select(f => (double)f).ToArray()).Should().BeLessThan(tolerance, $"position {t}");
        }
    }

    [Theory]
    [InlineData("stories", 1)]
    [InlineData("stories", 4)]
    [InlineData("gpt2", 3)]
    public void Generation_without_the_cache_equals_generation_with_it(string which, int beams)
    {
        var model = which == "stories" ? _stories : _gpt2;
        string[] prompts = ["Once upon a time", "Lily", "The dog was very happy and"];
        var cached = new GenerationOptions { MaxNewTokens = 10, NumBeams = beams, NumReturnSequences = beams, LengthPenalty = 0 };
        var uncached = new GenerationOptions { MaxNewTokens = 10, NumBeams = beams, NumReturnSequences = beams, LengthPenalty = 0, UseCache = false };
        var with = model.Generate(prompts, cached);
        var without = model.Generate(prompts, uncached);
        for (int p = 0; p < prompts.Length; p++)
        {
            without[p].Select(g => g.TokenIds).Should().BeEquivalentTo(with[p].Select(g => g.TokenIds), o => o.WithStrictOrdering());
            without[p].Select(g => g.Score).Zip(with[p].Select(g => g.Score), (a, b) => Math.Abs(a - b)).Should().OnlyContain(d => d < 1e-4);
        }
    }

    [Theory]
    [InlineData("stories")]
    [InlineData("gpt2")]
    public void Left_padded_batch_equals_unpadded_rows(string which)
    {
        var model = which == "stories" ? _stories : _gpt2;
        int[][] rows = [Sequence, Sequence[..3], Sequence[2..8]];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = TokenBatch.LeftPad(rows, model.Tokenizer.PadTokenId, CPU);
        var batched = model.Module.Logits(model.Module.HiddenStates(ids, mask));
        long length = ids.shape[1];
        for (int r = 0; r < rows.Length; r++)
        {
            var alone = ModelTestKit.Logits(model, rows[r]);
            var padded = ModelTestKit.Rows(batched[r].narrow(0, length - rows[r].Length, rows[r].Length));
            for (int t = 0; t < rows[r].Length; t++)
                ModelTestKit.MaxAbsDiff(padded[t], alone[t].Select(f => (double)f).ToArray()).Should().BeLessThan(1e-5, $"row {r} position {t}");
        }
    }

    [Theory]
    [InlineData("stories")]
    [InlineData("gpt2")]
    public void Batched_greedy_generation_and_embeddings_equal_one_at_a_time(string which)
    {
        var model = which == "stories" ? _stories : _gpt2;
        string[] prompts = ["Once upon a time", "Lily", "The dog was very happy and"];
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var batched = model.Generate(prompts, options);
        var embedded = model.Embed(prompts);
        for (int i = 0; i < prompts.Length; i++)
        {
            var alone = model.Generate([prompts[i]], options)[0][0];
            batched[i][0].TokenIds.Should().Equal(alone.TokenIds);
            batched[i][0].Score.Should().BeApproximately(alone.Score, 1e-4);
            var single = model.Embed([prompts[i]])[0];
            single.Should().HaveCount(model.Config.HiddenSize);
            ModelTestKit.MaxAbsDiff(embedded[i], single.Select(f => (double)f).ToArray()).Should().BeLessThan(1e-5);
        }
    }

    [Fact]
    public void Embedding_is_the_final_normed_hidden_state_at_the_last_token()
    {
        var ids = _stories.Tokenizer.Encode("Once upon a time");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hidden = _stories.Module.HiddenStates(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]), ones(1, ids.Count, dtype: ScalarType.Bool));
        var expected = ModelTestKit.Rows(hidden[0])[^1];
        _stories.Embed(["Once upon a time"])[0].Should().Equal(expected);
        // Tied head: these hidden states times the embedding matrix are the logits run.c printed.
        var logits = ModelTestKit.Logits(_stories, ids)[^1];
        Array.IndexOf(logits, logits.Max()).Should().Be(432);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void One_beam_equals_greedy(double lengthPenalty)
    {
        var prompts = new[] { "Once upon a time", "Lily went to the" }.Select(p => _stories.Tokenizer.Encode(p)).ToList();
        var greedy = _stories.GenerateFromTokens(prompts, new GenerationOptions { MaxNewTokens = 30 });
        var beam = BeamSearch.Run(_stories.Module, prompts, _stories.Tokenizer.PadTokenId, new HashSet<int> { 2 },
            new GenerationOptions { NumBeams = 1, MaxNewTokens = 30, LengthPenalty = lengthPenalty }, CPU, CancellationToken.None);
        for (int i = 0; i < prompts.Count; i++)
        {
            beam[i][0].Tokens.Should().Equal(greedy[i][0].TokenIds);
            if (lengthPenalty == 0)
                beam[i][0].Score.Should().BeApproximately(greedy[i][0].Score, 1e-3);
        }
    }

    [Fact]
    public void Greedy_stops_at_the_stop_token()
    {
        // Make the token that greedy picks second a stop token: generation must end right there.
        var full = _stories.Generate(["Once upon a time"], new GenerationOptions { MaxNewTokens = 5 })[0][0];
        var stopped = _stories.Generate(["Once upon a time"], new GenerationOptions { MaxNewTokens = 5, StopTokenIds = [full.TokenIds[1]] })[0][0];
        stopped.Stopped.Should().BeTrue();
        stopped.TokenIds.Should().Equal(full.TokenIds[0]);
        full.Stopped.Should().BeFalse();
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_seed_dependent()
    {
        GenerationOptions Options(long seed) => new() { DoSample = true, Seed = seed, Temperature = 1.0, TopP = 0.95, MaxNewTokens = 20, NumReturnSequences = 2 };
        var a = _stories.Generate(["Once upon a time"], Options(5))[0];
        var b = _stories.Generate(["Once upon a time"], Options(5))[0];
        var c = _stories.Generate(["Once upon a time"], Options(6))[0];
        a.Select(s => s.TokenIds).Should().BeEquivalentTo(b.Select(s => s.TokenIds), o => o.WithStrictOrdering());
        c.Select(s => string.Join(",", s.TokenIds)).Should().NotEqual(a.Select(s => string.Join(",", s.TokenIds)));
    }

    [Fact]
    public void Tiny_top_p_sampling_equals_greedy()
    {
        var greedy = _stories.Generate(["Lily"], new GenerationOptions { MaxNewTokens = 15 })[0][0];
        var nucleus = _stories.Generate(["Lily"], new GenerationOptions { MaxNewTokens = 15, DoSample = true, TopP = 1e-6, Seed = 3 })[0][0];
        nucleus.TokenIds.Should().Equal(greedy.TokenIds);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var act = () => _stories.Generate(["Lily"], new GenerationOptions { NumBeams = 2 }, cancelled.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Invalid_options_name_the_property()
    {
        var act = () => _stories.Generate(["Lily"], new GenerationOptions { NumBeams = 2, NumReturnSequences = 3 });
        act.Should().Throw<ArgumentException>().WithMessage("*NumReturnSequences*");
    }
}
