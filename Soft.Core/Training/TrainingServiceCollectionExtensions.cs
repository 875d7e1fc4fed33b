using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Soft's training loop (<see cref="CurriculumTrainer"/>) and its options in an <see cref="IServiceCollection"/>.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TrainingOptions"/> (configured by <paramref name="configure"/> and checked by
    /// <see cref="TrainingOptionsValidator"/>, also at host start) and <see cref="CurriculumTrainer"/> as a singleton.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, starting from the defaults (the reference's values); null keeps them.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// Invalid options throw <see cref="OptionsValidationException"/>, naming every broken option, when the trainer is
    /// first resolved. The trainer holds no model, so one instance serves every stage; a logger is taken from the
    /// container when one is registered.
    /// </remarks>
    public static IServiceCollection AddSoftTraining(this IServiceCollection services, Action<TrainingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptionsWithValidateOnStart<TrainingOptions, TrainingOptionsValidator>();
        if (configure is not null)
            builder.Configure(configure);
        services.TryAddSingleton<CurriculumTrainer>();
        return services;
    }
}
