using System.Diagnostics;
using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics.Constrained;
using Soft.Models;
using Soft.Models.Lora;
using Soft.Tests.Evaluation;
using Soft.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>
/// Decoding and training while another thread forces garbage collections and runs finalizers. TorchSharp 0.107
/// hands <c>Scalar.Handle</c> to libtorch without <c>GC.KeepAlive</c>, so a temporary Scalar (an implicit
/// conversion such as <c>t - 1</c>) can be finalized, and its native value freed, while libtorch still reads it:
/// "Unknown scalar type" or silently wrong numbers. Every result must equal the one computed without the GC thread;
/// that includes the parameters after a few <see cref="AdamWOptimizer"/> steps, which replaced TorchSharp's AdamW
/// because its <c>step()</c> makes such temporaries itself.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ScalarLifetimeTests : IDisposable
{
    private static readonly TimeSpan StressTime = TimeSpan.FromSeconds(6);
    private static readonly string[] Titles = ["Lily", "Lily and Tom", "the dog", "a big red ball", "Tom"];

    private readonly TorchLanguageModel _model;
    private readonly TorchLanguageModel _adapted;
    private readonly IReadOnlyList<Parameter> _trainable;
    private readonly Tensor[] _initial;

    public ScalarLifetimeTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
        _adapted = ModelTestKit.LoadStories();
        // Dropout 0 and eval mode: the training path must be deterministic to be compared.
        var adapter = LoraAdapter.Inject(_adapted.Module, new LoraOptions { Rank = 4, Dropout = 0, TargetModules = ["q_proj", "v_proj", "down_proj"] });
        _trainable = adapter.TrainableParameters();
        // Each workload's optimizer steps start from these values, so every round trains the same adapter.
        _initial = [.. _trainable.Select(p => p.detach().clone().DetachFromDisposeScope())];
    }

    public void Dispose()
    {
        foreach (var t in _initial)
            t.Dispose();
        _model.Dispose();
        _adapted.Dispose();
    }

    [Fact]
    public void Decoding_and_training_give_the_same_results_while_finalizers_run_concurrently()
    {
        var expected = Workload();

        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        }) { IsBackground = true, Name = "gc-stress" };
        collector.Start();
        int rounds = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < StressTime)
            {
                Workload().Should().Equal(expected, $"round {rounds} must match the run without the GC thread");
                rounds++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        rounds.Should().BeGreaterThan(0);
        collections.Should().BeGreaterThan(rounds);
    }

    // Beam, constrained beam (the evaluator that crashed), greedy and nucleus decoding, a LoRA training loss and its
    // backward pass, then three AdamW steps on the adapter; every number they produce, in order.
    private List<double> Workload()
    {
        var values = new List<double>();
        var prompts = new[] { "Once upon a time", "Lily and Tom went to the" };
        foreach (var options in new[]
        {
            new GenerationOptions { NumBeams = 3, NumReturnSequences = 3, MaxNewTokens = 6 },
            new GenerationOptions { MaxNewTokens = 6 },
            new GenerationOptions { MaxNewTokens = 6, DoSample = true, Temperature = 0.8, TopP = 0.9, Seed = 3 },
        })
        {
            foreach (var sequences in _model.Generate(prompts, options))
            {
                foreach (var s in sequences)
                {
                    values.Add(s.Score);
                    values.AddRange(s.TokenIds.Select(t => (double)t));
                }
            }
        }

        var catalog = new ItemCatalog(Titles.Select((t, i) => new CatalogItem(i, $"i{i}", t)));
        IReadOnlyList<RecommendationSample> samples = [new("u0", [1, 2], 3), new("u1", [4], 0)];
        var evaluation = new ConstrainedBeamEvaluator(new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 4 }, BatchSize = 2 }).Evaluate(new EvaluationRequest
        {
            Model = _model,
            Dataset = EvaluationData.Dataset(catalog, samples),
            Samples = samples,
            Template = EvaluationData.Template,
        });
        foreach (var prediction in evaluation.Predictions)
        {
            values.Add(prediction.Rank ?? -1);
            values.AddRange(prediction.TopItems.Select(i => (double)i));
        }

        PromptTarget[] batch = [new("Once upon a time", " there was a girl"), new("Tom liked", " the big red ball")];
        using (var scope = NewDisposeScope())
        {
            var loss = _adapted.ComputeLoss(batch, [1.0, 0.5]);
            loss.backward();
            values.Add(loss.item<float>());
            values.AddRange(_adapted.ComputeSequenceLosses(batch).detach().data<float>().ToArray().Select(v => (double)v));
            foreach (var (_, parameter) in _adapted.Module.named_parameters())
            {
                if (parameter.grad is { } grad)
                {
                    values.Add(grad.norm().item<float>());
                    grad.zero_();
                }
            }
        }

        using (var optimizer = new AdamWOptimizer(
        [
            new AdamWParameterGroup(_trainable, 1e-2, 0.9, 0.999, 1e-8, 0.01),
        ]))
        {
            for (int step = 0; step < 3; step++)
            {
                optimizer.ParamGroups[0].LearningRate = 1e-2 * (step + 1);
                using var scope = NewDisposeScope();
                _adapted.ComputeLoss(batch, [1.0, 0.5]).backward();
                optimizer.Step();
                optimizer.ZeroGrad();
            }
            using (var scope = NewDisposeScope())
            {
                foreach (var parameter in _trainable)
                    values.AddRange(parameter.detach().cpu().data<float>().ToArray().Select(v => (double)v));
            }
        }
        using (var noGrad = no_grad())
        {
            for (int i = 0; i < _trainable.Count; i++)
                _trainable[i].copy_(_initial[i]);
        }
        return values;
    }
}
