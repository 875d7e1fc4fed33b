using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Soft.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a SOFT pipeline in a hosted application's services.</summary>
public static class SoftServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SoftTrainer"/> as a singleton composed by <paramref name="configure"/>. The pipeline's parts
    /// live in their own container (so that its models and optimisers are owned and disposed by the trainer); the host's
    /// <see cref="ILoggerFactory"/>, when there is one, is shared with it. Options are validated when the trainer is
    /// first resolved.
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
    public static IServiceCollection AddSoft(this IServiceCollection services, Action<SoftTrainerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(provider =>
        {
            var builder = new SoftTrainerBuilder();
            if (provider.GetService<ILoggerFactory>() is { } loggers)
                builder.Services.AddSingleton(loggers);
            configure(builder);
            return builder.Build();
        });
        return services;
    }
}
