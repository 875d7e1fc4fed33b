using Microsoft.Extensions.Options;
using Soft.Evaluation;
using Soft.Metrics.Constrained;
using Soft.Metrics.Exact;
using Soft.Metrics.Grounding;
using Soft.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the recommendation evaluators of Soft.Metrics in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Each method adds one <see cref="IRecommendationEvaluator"/> (a pipeline may run several) and also registers the
/// concrete evaluator as a singleton, so that, for example, the curriculum can resolve <see cref="GroundingEvaluator"/>
/// to measure its distance. Calling a method again only adds configuration (the first call's embedder stays).
/// Options are validated at resolution and at host start (<c>ValidateOnStart</c>); invalid
/// options throw <see cref="OptionsValidationException"/> naming the property.
/// </remarks>
public static class EvaluatorServiceCollectionExtensions
{
    /// <summary>Adds BIGRec's L2-grounding evaluator, <see cref="GroundingEvaluator"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="groundingEmbedder">
    /// Resolves the grounding embedder (the untuned base model, e.g. the tuned model with adapters disabled).
    /// </param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="groundingEmbedder"/> is null.</exception>
    public static IServiceCollection AddGroundingEvaluator(
        this IServiceCollection services,
        Func<IServiceProvider, ITextEmbedder> groundingEmbedder,
        Action<GroundingEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(groundingEmbedder);
        return RegisterGrounding(services, configure, provider => new GroundingEvaluator(
            groundingEmbedder(provider),
            provider.GetRequiredService<IOptions<GroundingEvaluatorOptions>>().Value));
    }

    /// <summary>
    /// Adds BIGRec's L2-grounding evaluator, <see cref="GroundingEvaluator"/>, for a <c>SoftTrainer</c>: the pipeline
    /// hands it the base-model embedder and the item table when it prepares the evaluators.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddGroundingEvaluator(
        this IServiceCollection services,
        Action<GroundingEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return RegisterGrounding(services, configure, provider => new GroundingEvaluator(
            provider.GetRequiredService<IOptions<GroundingEvaluatorOptions>>().Value));
    }

    private static IServiceCollection RegisterGrounding(IServiceCollection services, Action<GroundingEvaluatorOptions>? configure, Func<IServiceProvider, GroundingEvaluator> create)
    {
        var options = services.AddOptionsWithValidateOnStart<GroundingEvaluatorOptions, GroundingEvaluatorOptionsValidator>();
        if (configure is not null)
            options.Configure(configure);
        // A second call only configures: the evaluator is registered, and listed among the evaluators, once.
        if (services.Any(d => d.ServiceType == typeof(GroundingEvaluator)))
            return services;
        services.AddSingleton(create);
        services.AddSingleton<IRecommendationEvaluator>(provider => provider.GetRequiredService<GroundingEvaluator>());
        return services;
    }

    /// <summary>Adds the trie-constrained beam evaluator, <see cref="ConstrainedBeamEvaluator"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; null keeps D3's defaults.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddConstrainedBeamEvaluator(
        this IServiceCollection services,
        Action<ConstrainedBeamEvaluatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<ConstrainedBeamEvaluatorOptions, ConstrainedBeamEvaluatorOptionsValidator>();
        if (configure is not null)
            options.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(ConstrainedBeamEvaluator)))
            return services;
        services.AddSingleton(provider => new ConstrainedBeamEvaluator(
            provider.GetRequiredService<IOptions<ConstrainedBeamEvaluatorOptions>>().Value));
        services.AddSingleton<IRecommendationEvaluator>(provider => provider.GetRequiredService<ConstrainedBeamEvaluator>());
        return services;
    }

    /// <summary>Adds exact catalogue scoring, <see cref="ExactScoringEvaluator"/> (no options: it neither decodes nor grounds).</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddExactScoringEvaluator(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ExactScoringEvaluator)))
            return services;
        services.AddSingleton<ExactScoringEvaluator>();
        services.AddSingleton<IRecommendationEvaluator>(provider => provider.GetRequiredService<ExactScoringEvaluator>());
        return services;
    }
}
