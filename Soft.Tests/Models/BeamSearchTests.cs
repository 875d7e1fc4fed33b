using Soft.Models;

namespace Soft.Tests.Models;

/// <summary>Beam search against brute force, through the allowed-token hook (a trie of titles).</summary>
[Collection(TorchCollection.Name)]
public sealed class BeamSearchTests : IDisposable
{
    private const string Prompt = "Once upon a time, there was a little";
    private static readonly string[] Items = ["girl", "girl named Lily", "dog", "boy who liked to play", "cat", "big red ball"];

    private readonly TorchLanguageModel _model;

    public BeamSearchTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Constrained_beam_search_with_enough_beams_equals_exact_ranking()
    {
        var sequences = Items.Select(i => _model.Tokenizer.Encode(i, addBos: false).Append(_model.Tokenizer.EosTokenId).ToArray()).ToArray();
        var trie = new TrieHook(sequences);
        var exact = _model.LogLikelihood(Items.Select(i => new PromptTarget(Prompt, i)).ToList());
        var options = new GenerationOptions
        {
            NumBeams = Items.Length,
            NumReturnSequences = Items.Length,
            LengthPenalty = 0,
            MaxNewTokens = sequences.Max(s => s.Length),
            AllowedTokens = trie,
        };
        var beams = _model.Generate([Prompt], options)[0];

        beams.Should().HaveCount(Items.Length);
        beams.Should().OnlyContain(b => b.Stopped);
        var expectedOrder = Enumerable.Range(0, Items.Length).OrderByDescending(i => exact[i]).ToArray();
        for (int rank = 0; rank < Items.Length; rank++)
        {
            int item = expectedOrder[rank];
            beams[rank].TokenIds.Should().Equal(sequences[item][..^1], $"rank {rank}");
            beams[rank].Score.Should().BeApproximately(exact[item], 1e-3);
        }
    }

    [Fact]
    public void A_delegate_hook_constrains_greedy_decoding_too()
    {
        int[] only = _model.Tokenizer.Encode("dog", addBos: false).ToArray();
        var hook = AllowedTokens.From(generated => generated.Count < only.Length ? [only[generated.Count]] : [_model.Tokenizer.EosTokenId]);
        var result = _model.Generate([Prompt], new GenerationOptions { MaxNewTokens = 10, AllowedTokens = hook })[0][0];
        result.TokenIds.Should().Equal(only);
        result.Stopped.Should().BeTrue();
        result.Score.Should().BeApproximately(_model.LogLikelihood([new PromptTarget(Prompt, "dog")])[0], 1e-3);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    public void A_hook_that_allows_nothing_ends_decoding_without_nan(bool sample, int beams)
    {
        var hook = AllowedTokens.From(generated => generated.Count < 2 ? null : Array.Empty<int>());
        var options = new GenerationOptions { MaxNewTokens = 6, AllowedTokens = hook, DoSample = sample, NumBeams = beams };
        var results = _model.Generate([Prompt, "Lily"], options);
        foreach (var result in results)
        {
            // Beam search finds no finished hypothesis; greedy and sampling end the row with score −∞.
            if (beams > 1)
            {
                result.Should().BeEmpty();
                continue;
            }
            result[0].TokenIds.Should().HaveCount(2);
            result[0].Stopped.Should().BeFalse();
            double.IsNegativeInfinity(result[0].Score).Should().BeTrue();
        }
    }

    [Fact]
    public void Length_penalty_divides_by_generated_length_including_the_stop_token()
    {
        var sequences = Items.Select(i => _model.Tokenizer.Encode(i, addBos: false).Append(_model.Tokenizer.EosTokenId).ToArray()).ToArray();
        var exact = _model.LogLikelihood(Items.Select(i => new PromptTarget(Prompt, i)).ToList());
        var options = new GenerationOptions
        {
            NumBeams = Items.Length,
            NumReturnSequences = Items.Length,
            LengthPenalty = 1.0,
            MaxNewTokens = sequences.Max(s => s.Length),
            AllowedTokens = new TrieHook(sequences),
        };
        var beams = _model.Generate([Prompt], options)[0];
        var expected = Enumerable.Range(0, Items.Length).Select(i => (Item: i, Score: exact[i] / sequences[i].Length)).OrderByDescending(x => x.Score).ToArray();
        beams.Should().HaveCount(Items.Length);
        for (int rank = 0; rank < Items.Length; rank++)
        {
            beams[rank].TokenIds.Should().Equal(sequences[expected[rank].Item][..^1], $"rank {rank}");
            beams[rank].Score.Should().BeApproximately(expected[rank].Score, 1e-3);
        }
    }

    [Fact]
    public void Beam_search_returns_sorted_distinct_hypotheses_and_beats_greedy()
    {
        var greedy = _model.Generate([Prompt], new GenerationOptions { MaxNewTokens = 8, StopTokenIds = [2] })[0][0];
        var beams = _model.Generate([Prompt], new GenerationOptions { NumBeams = 4, NumReturnSequences = 4, MaxNewTokens = 8, LengthPenalty = 0 })[0];
        beams.Should().HaveCount(4);
        beams.Select(b => b.Score).Should().BeInDescendingOrder();
        beams.Select(b => string.Join(",", b.TokenIds)).Should().OnlyHaveUniqueItems();
        // With length penalty 0 and the same length budget, the best beam is at least as likely as greedy's path.
        beams[0].Score.Should().BeGreaterThanOrEqualTo(greedy.Score - 1e-4);
    }

    [Fact]
    public void Batched_beam_search_equals_one_prompt_at_a_time()
    {
        string[] prompts = [Prompt, "Lily", "The sun was"];
        var options = new GenerationOptions { NumBeams = 3, NumReturnSequences = 2, MaxNewTokens = 10 };
        var batched = _model.Generate(prompts, options);
        for (int i = 0; i < prompts.Length; i++)
        {
            var alone = _model.Generate([prompts[i]], options)[0];
            batched[i].Select(b => b.TokenIds).Should().BeEquivalentTo(alone.Select(b => b.TokenIds), o => o.WithStrictOrdering());
        }
    }

    /// <summary>Allowed next tokens = children of the generated prefix in a trie of the item sequences.</summary>
    private sealed class TrieHook(int[][] sequences) : IAllowedTokens
    {
        public IReadOnlyList<int>? Allowed(int promptIndex, IReadOnlyList<int> generated) =>
            sequences.Where(s => s.Length > generated.Count && s.Take(generated.Count).SequenceEqual(generated))
                .Select(s => s[generated.Count]).Distinct().ToArray();
    }
}
