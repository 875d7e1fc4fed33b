using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Evaluation;
using Soft.Models;
using Soft.Metrics.Constrained;
using Soft.Metrics.Exact;
using Soft.Metrics.Grounding;
using Soft.Pipeline;

namespace Soft.Metrics;

/// <summary>
/// Adds Soft.Metrics' evaluators to a <see cref="SoftTrainerBuilder"/>, the one way to register them; every method is
/// tested with each one added. Each writes into <see cref="SoftTrainerBuilder.Services"/> (a host's own collection
/// under <c>services.AddSoft</c>); options are validated at resolution and at host start, and invalid options throw
/// <see cref="OptionsValidationException"/> naming the property.
/// </summary>
public static class MetricsSoftTrainerBuilderExtensions
{
    /// <summary>
    /// BIGRec's L2 grounding (full-catalogue ranking; also measures the curriculum's distance d). The pipeline hands it
    /// the base-model embedder and builds its item table from the base model as the <c>items</c> stage.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder AddGroundingEvaluator(this SoftTrainerBuilder builder, Action<GroundingEvaluatorOptions>? configure = null) =>
        RegisterGrounding(builder, configure, provider => new GroundingEvaluator(
            provider.GetRequiredService<IOptions<GroundingEvaluatorOptions>>().Value));

    /// <summary>BIGRec's L2 grounding with an embedder of your own instead of the one the pipeline hands it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="groundingEmbedder">Resolves the grounding embedder (the untuned base model, e.g. the tuned model with adapters disabled).</param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="groundingEmbedder"/> is null.</exception>
    public static SoftTrainerBuilder AddGroundingEvaluator(
        this SoftTrainerBuilder builder,
        Func<IServiceProvider, ITextEmbedder> groundingEmbedder,
        Action<GroundingEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(groundingEmbedder);
        return RegisterGrounding(builder, configure, provider => new GroundingEvaluator(
            groundingEmbedder(provider),
            provider.GetRequiredService<IOptions<GroundingEvaluatorOptions>>().Value));
    }

    private static SoftTrainerBuilder RegisterGrounding(SoftTrainerBuilder builder, Action<GroundingEvaluatorOptions>? configure, Func<IServiceProvider, GroundingEvaluator> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<GroundingEvaluatorOptions, GroundingEvaluatorOptionsValidator>(configure);
        return AddOnce(builder, create);
    }

    /// <summary>D3-style ranking by beam search constrained to a trie of catalogue titles.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; null keeps D3's defaults.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder AddConstrainedBeamEvaluator(this SoftTrainerBuilder builder, Action<ConstrainedBeamEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ConstrainedBeamEvaluatorOptions, ConstrainedBeamEvaluatorOptionsValidator>(configure);
        return AddOnce(builder, provider => new ConstrainedBeamEvaluator(
            provider.GetRequiredService<IOptions<ConstrainedBeamEvaluatorOptions>>().Value));
    }

    /// <summary>
    /// Exact catalogue scoring: every item ranked by the model's log-probability of it given the prompt (one forward
    /// pass per batch with item tokens; shared-prompt title scoring otherwise). Cheap enough to validate with.
    /// </summary>
    public static SoftTrainerBuilder AddExactScoringEvaluator(this SoftTrainerBuilder builder) =>
        AddOnce(builder, _ => new ExactScoringEvaluator());

    // The concrete evaluator is a singleton of its own, so that e.g. the curriculum can resolve GroundingEvaluator to
    // measure its distance. A second call only adds configuration: the evaluator is listed among the evaluators once.
    private static SoftTrainerBuilder AddOnce<TEvaluator>(SoftTrainerBuilder builder, Func<IServiceProvider, TEvaluator> create)
        where TEvaluator : class, IRecommendationEvaluator
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(TEvaluator)))
            return builder;
        builder.Services.AddSingleton(create);
        builder.Services.AddSingleton<IRecommendationEvaluator>(provider => provider.GetRequiredService<TEvaluator>());
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
