using Soft.Curriculum;
using Soft.Data;
using Soft.Metrics.Constrained;
using Soft.Models;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Tests.Training;
using Soft.Training;
using TorchSharp;

namespace Soft.Tests.Reliability;

/// <summary>
/// Issue #7: the live native-tensor count (TorchSharp's per-thread dispose-scope statistics) returns to its baseline
/// after every training step and every generation call, and to the count before loading once the model is disposed.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class LiveTensorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public LiveTensorTests() => ModelTestKit.Initialize();

    public void Dispose() => _temp.Dispose();

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Training_steps_plateau_after_the_first_and_disposing_the_model_returns_to_baseline()
    {
        long baseline = Live;
        var real = TrainingTestKit.Pairs(32);
        var afterStep = new List<long>();
        long loaded, trained;
        using (var model = ModelTestKit.LoadStories())
        {
            loaded = Live;
            var result = TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 2)).Train(new TrainingJob
            {
                Model = model,
                RealPairs = real,
                DistilledPairs = TrainingTestKit.Distilled(real),
                Scheduler = new FixedScheduler(0.5),
                RunFolder = TrainingTestKit.Run(_temp),
                Stage = "soft",
            }, new TrainingTestKit.Recorder(_ => afterStep.Add(Live)));
            trained = Live;

            result.Epochs.Should().HaveCount(2);
            afterStep.Should().HaveCount(4);
            // Step 1 creates what lives for the stage (the adapter's gradients, AdamW's moments); from step 2 on, over an
            // epoch end (checkpoint) too, nothing more stays alive.
            afterStep[0].Should().BeGreaterThan(loaded);
            afterStep.Skip(1).Should().OnlyContain(n => n == afterStep[0], string.Join(", ", afterStep));
            // What stays after training is the injected adapter (its A and B per target module), nothing per step.
            trained.Should().BeGreaterThan(loaded).And.BeLessThan(afterStep[0]);
        }
        Live.Should().Be(baseline, $"loaded {loaded}, trained {trained}; {DisposeScopeManager.Statistics}");
    }

    [Fact]
    public void Every_greedy_beam_and_constrained_generation_call_returns_to_baseline()
    {
        long baseline = Live;
        long loaded;
        using (var model = ModelTestKit.LoadStories())
        {
            var data = EmbeddedDatasets.LastFm(new DatasetOptions { HistoryLength = 3, TrainSubset = 8 });
            var template = PromptTemplate.Compact(data.Domain);
            var prompts = data.Train.Take(2).Select(s => template.Render(s, data.Catalog).Prompt).ToList();
            var trie = CatalogTrie.Build(data.Catalog, model.Tokenizer);
            var calls = new (string Name, GenerationOptions Options)[]
            {
                ("greedy", new GenerationOptions { MaxNewTokens = 6 }),
                ("greedy without cache", new GenerationOptions { MaxNewTokens = 6, UseCache = false }),
                ("beam", new GenerationOptions { MaxNewTokens = 6, NumBeams = 3, NumReturnSequences = 2 }),
                ("sampling", new GenerationOptions { MaxNewTokens = 6, DoSample = true, TopP = 0.9 }),
                ("constrained beam", new GenerationOptions { MaxNewTokens = trie.LongestSequence, NumBeams = 4, NumReturnSequences = 4, LengthPenalty = 0, AllowedTokens = trie.AllowedTokens }),
            };

            loaded = Live;
            foreach (var (name, options) in calls)
            {
                for (int repeat = 0; repeat < 2; repeat++)
                {
                    var output = model.Generate(prompts, options);
                    output.Should().HaveCount(prompts.Count);
                    Live.Should().Be(loaded, $"{name}, call {repeat + 1}: {DisposeScopeManager.Statistics}");
                }
            }
        }
        Live.Should().Be(baseline, $"after disposing the model: {DisposeScopeManager.Statistics}");
    }
}
