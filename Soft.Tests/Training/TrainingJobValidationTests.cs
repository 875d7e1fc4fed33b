using Soft.Curriculum;
using Soft.Models;
using Soft.Runs;
using Soft.Tests.Models;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>Inconsistent jobs are refused before anything is trained, with the offending property named.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingJobValidationTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TorchLanguageModel _model;
    private readonly IReadOnlyList<PromptTarget> _pairs = TrainingTestKit.Pairs(4);

    public TrainingJobValidationTests()
    {
        ModelTestKit.Initialize();
        _model = ModelTestKit.LoadStories();
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Distilled_pairs_must_align_with_the_real_prompts()
    {
        var shifted = _pairs.Select((p, i) => p with { Prompt = _pairs[(i + 1) % _pairs.Count].Prompt }).ToList();
        Train(new FixedScheduler(1), distilled: shifted).Should().Throw<ArgumentException>().WithMessage("*DistilledPairs[0]*");
        Train(new FixedScheduler(1), distilled: _pairs.Take(3).ToList()).Should().Throw<ArgumentException>().WithMessage("*3 pairs for 4*");
    }

    [Fact]
    public void A_positive_lambda_without_distilled_pairs_is_an_error()
    {
        Train(new FixedScheduler(1)).Should().Throw<InvalidOperationException>().WithMessage("*λ = 1*DistilledPairs*");
    }

    [Fact]
    public void A_scheduler_that_needs_distances_needs_a_distance_callback()
    {
        var adaptive = new AdaptiveDistanceScheduler(Microsoft.Extensions.Options.Options.Create(new AdaptiveDistanceSchedulerOptions()));
        Train(adaptive, distilled: _pairs).Should().Throw<ArgumentException>().WithMessage("*AdaptiveDistanceScheduler*TrainingJob.Distance*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void The_stage_must_be_a_plain_folder_name(string stage)
    {
        Train(new FixedScheduler(0), stage: stage).Should().Throw<ArgumentException>().WithMessage("*TrainingJob.Stage*");
    }

    private Func<TrainingResult> Train(ICurriculumScheduler scheduler, IReadOnlyList<PromptTarget>? distilled = null, string stage = "sft") =>
        () => TrainingTestKit.Trainer(TrainingTestKit.Options(epochs: 1)).Train(new TrainingJob
        {
            Model = _model,
            RealPairs = _pairs,
            DistilledPairs = distilled,
            Scheduler = scheduler,
            RunFolder = TrainingTestKit.Run(_temp),
            Stage = stage,
        });
}
