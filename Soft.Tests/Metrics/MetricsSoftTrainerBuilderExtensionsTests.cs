using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Evaluation;
using Soft.Metrics.Constrained;
using Soft.Metrics.Grounding;
using Soft.Metrics;
using Soft.Models;
using Soft.Pipeline;

namespace Soft.Tests.Metrics;

public sealed class MetricsSoftTrainerBuilderExtensionsTests
{
    private sealed class FixedEmbedder : ITextEmbedder
    {
        public float[][] Embed(IReadOnlyList<string> texts) => [.. texts.Select(_ => new[] { 1f })];
    }

    [Fact]
    public void Both_evaluators_are_registered_side_by_side_with_their_options()
    {
        var builder = new SoftTrainerBuilder()
            .AddGroundingEvaluator(_ => new FixedEmbedder(), o => o.Decoding.NumBeams = 2)
            .AddConstrainedBeamEvaluator(o => o.Decoding.NumBeams = 20);
        using var provider = builder.Services.BuildServiceProvider();

        var evaluators = provider.GetServices<IRecommendationEvaluator>().ToList();
        evaluators.Select(e => e.Name).Should().Equal("grounding", "constrained-beam");
        provider.GetRequiredService<GroundingEvaluator>().Should().BeSameAs(evaluators[0]);
        provider.GetRequiredService<GroundingEvaluator>().Options.Decoding.NumBeams.Should().Be(2);
        provider.GetRequiredService<ConstrainedBeamEvaluator>().Options.Decoding.NumBeams.Should().Be(20);
    }

    [Fact]
    public void Invalid_options_fail_at_resolution_naming_the_property()
    {
        using var provider = new SoftTrainerBuilder()
            .AddConstrainedBeamEvaluator(o => o.Decoding.LengthPenalty = double.NaN)
            .Services.BuildServiceProvider();
        var act = () => provider.GetServices<IRecommendationEvaluator>().ToList();
        act.Should().Throw<OptionsValidationException>().WithMessage("*LengthPenalty*");
    }

    [Fact]
    public void Adding_an_evaluator_twice_lists_it_once_with_both_configurations()
    {
        using var provider = new SoftTrainerBuilder()
            .AddGroundingEvaluator(_ => new FixedEmbedder(), o => o.Decoding.NumBeams = 2)
            .AddGroundingEvaluator(_ => new FixedEmbedder(), o => o.Decoding.MaxNewTokens = 10)
            .Services.BuildServiceProvider();
        var evaluator = provider.GetServices<IRecommendationEvaluator>().Should().ContainSingle().Subject.Should().BeOfType<GroundingEvaluator>().Subject;
        evaluator.Options.Decoding.NumBeams.Should().Be(2);
        evaluator.Options.Decoding.MaxNewTokens.Should().Be(10);
    }

    [Fact]
    public void Exact_scoring_and_grounding_by_name_are_listed_in_the_order_added()
    {
        using var provider = new SoftTrainerBuilder().AddEvaluator(EvaluatorNames.Exact).AddGroundingEvaluator().AddExactScoringEvaluator()
            .Services.BuildServiceProvider();

        provider.GetServices<IRecommendationEvaluator>().Select(e => e.Name).Should().Equal(EvaluatorNames.Exact, EvaluatorNames.Grounding);
    }
}
