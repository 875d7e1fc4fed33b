using Microsoft.Extensions.DependencyInjection;
using Soft.Metrics.Constrained;
using Soft.Metrics.Exact;
using Soft.Metrics.Grounding;
using Soft.Pipeline;

namespace Soft.Metrics;

/// <summary>Adds Soft.Metrics' evaluators to a <see cref="SoftTrainerBuilder"/>; every method is tested with each one added.</summary>
public static class MetricsSoftTrainerBuilderExtensions
{
    /// <summary>
    /// BIGRec's L2 grounding (full-catalogue ranking; also measures the curriculum's distance d). The pipeline builds
    /// its item table from the base model as the <c>items</c> stage.
    /// </summary>
    public static SoftTrainerBuilder AddGroundingEvaluator(this SoftTrainerBuilder builder, Action<GroundingEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGroundingEvaluator(configure);
        return builder;
    }

    /// <summary>D3-style ranking by beam search constrained to a trie of catalogue titles.</summary>
    public static SoftTrainerBuilder AddConstrainedBeamEvaluator(this SoftTrainerBuilder builder, Action<ConstrainedBeamEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddConstrainedBeamEvaluator(configure);
        return builder;
    }

    /// <summary>
    /// Exact catalogue scoring: every item ranked by the model's log-probability of it given the prompt (one forward
    /// pass per batch with item tokens; shared-prompt title scoring otherwise). Cheap enough to validate with.
    /// </summary>
    public static SoftTrainerBuilder AddExactScoringEvaluator(this SoftTrainerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddExactScoringEvaluator();
        return builder;
    }

    /// <summary>Adds the evaluator called <paramref name="name"/> (one of <see cref="EvaluatorNames.All"/>) with its default options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">An evaluator name, e.g. from a command line.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="EvaluatorNames.All"/>; the message lists them.</exception>
    public static SoftTrainerBuilder AddEvaluator(this SoftTrainerBuilder builder, string name) => name switch
    {
        EvaluatorNames.Exact => builder.AddExactScoringEvaluator(),
        EvaluatorNames.Grounding => builder.AddGroundingEvaluator(),
        EvaluatorNames.ConstrainedBeam => builder.AddConstrainedBeamEvaluator(),
        _ => throw new ArgumentException($"No evaluator is called '{name}'; evaluators: {string.Join(", ", EvaluatorNames.All)}.", nameof(name)),
    };
}
