using Microsoft.Extensions.Logging;
using Soft.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a SOFT pipeline in a hosted application's services.</summary>
public static class SoftServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SoftTrainer"/> as a singleton composed by <paramref name="configure"/>, with its parts
    /// (model and data sources, scheduler, distiller, evaluators, variants, <see cref="SoftOptions"/>) registered in
    /// <paramref name="services"/> itself: one container, the host's, whose <see cref="ILoggerFactory"/> the trainer
    /// uses. Options are validated when the host starts (<c>ValidateOnStart</c>) and when the trainer is resolved. One
    /// pipeline per container: build others with <c>new SoftTrainerBuilder()...Build()</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddSoft(soft => soft
    ///     .UsePreset("cpu")
    ///     .UseLanguageModel("models/Qwen2.5-0.5B")
    ///     .UseEmbeddedLastFm()
    ///     .UseAdaptiveCurriculum(alpha: 1)
    ///     .UseBeamSelfDistiller()
    ///     .AddGroundingEvaluator());
    /// </code>
    /// </example>
    /// <exception cref="InvalidOperationException">A pipeline is already registered in <paramref name="services"/>.</exception>
    public static IServiceCollection AddSoft(this IServiceCollection services, Action<SoftTrainerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(SoftTrainer)))
            throw new InvalidOperationException("AddSoft was already called on these services; one container holds one pipeline.");
        configure(new SoftTrainerBuilder(services));
        services.AddSingleton(provider => SoftTrainerBuilder.Create(provider, owned: null));
        return services;
    }
}
