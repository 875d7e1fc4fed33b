using Soft.Models;
using TorchSharp;

namespace Soft.Tests.Models;

/// <summary>Decoding, scoring and embedding leave no live tensors behind.</summary>
[Collection(TorchCollection.Name)]
public sealed class LeakTests : IDisposable
{
    private readonly TorchLanguageModel _model;

    public LeakTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Generation_scoring_and_embedding_free_every_tensor_they_create()
    {
        // Warm up once so lazily created module wrappers do not count.
        Run();
        DisposeScopeManager.Statistics.Reset();
        Run();
        var stats = DisposeScopeManager.Statistics;
        stats.ThreadTotalLiveCount.Should().Be(0, stats.ToString());
    }

    private void Run()
    {
        _model.Generate(["Once upon a time", "Lily"], new GenerationOptions { MaxNewTokens = 5 });
        _model.Generate(["Once upon a time", "Lily"], new GenerationOptions { MaxNewTokens = 5, NumBeams = 3, NumReturnSequences = 2 });
        _model.Generate(["Lily"], new GenerationOptions { MaxNewTokens = 5, DoSample = true, TopP = 0.9 });
        _model.LogLikelihood([new PromptTarget("Lily", "went home")]);
        _model.Embed(["Lily"]);
        var trie = new Soft.Generation.TokenTrieBuilder(_model.Tokenizer.EosTokenId);
        foreach (var (title, item) in new[] { ("the cat", 0), ("the cat sat", 1), ("a dog", 2) })
            trie.Add([.. _model.Tokenizer.Encode(title, addBos: false), _model.Tokenizer.EosTokenId], item);
        _model.TrieLogLikelihoods(["Once upon a time", "Lily"], trie.Build(), default, maxChunk: 2, maxPrompts: 1);
    }
}
