using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a curriculum scheduler (<see cref="ICurriculumScheduler"/>) in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// A trainer uses one scheduler, so every method here replaces any <see cref="ICurriculumScheduler"/> registered
/// before: the last call wins. Schedulers are singletons, which is safe because they are pure. Options are
/// validated when the scheduler is first resolved, and at host start through <c>ValidateOnStart</c>; invalid
/// options throw <see cref="OptionsValidationException"/> naming the property.
/// </remarks>
public static class CurriculumServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="TScheduler"/> as the singleton <see cref="ICurriculumScheduler"/>.</summary>
    /// <typeparam name="TScheduler">The scheduler; its constructor's parameters are resolved from the container.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection UseCurriculumScheduler<TScheduler>(this IServiceCollection services)
        where TScheduler : class, ICurriculumScheduler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler, TScheduler>());
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TScheduler"/> as the singleton <see cref="ICurriculumScheduler"/>, with its options
    /// configured by <paramref name="configure"/> and checked by <typeparamref name="TValidator"/>.
    /// </summary>
    /// <typeparam name="TScheduler">
    /// The scheduler; typically its constructor takes <see cref="IOptions{TOptions}"/>. Its options are validated
    /// before it is constructed.
    /// </typeparam>
    /// <typeparam name="TOptions">The scheduler's options.</typeparam>
    /// <typeparam name="TValidator">The validator of <typeparamref name="TOptions"/>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; null keeps the defaults.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection UseCurriculumScheduler<TScheduler, TOptions, TValidator>(
        this IServiceCollection services,
        Action<TOptions>? configure = null)
        where TScheduler : class, ICurriculumScheduler
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptionsWithValidateOnStart<TOptions, TValidator>();
        if (configure is not null)
            builder.Configure(configure);
        services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler>(provider =>
        {
            // Validate before construction, so a scheduler that reads its options lazily still fails at resolution.
            _ = provider.GetRequiredService<IOptions<TOptions>>().Value;
            return ActivatorUtilities.CreateInstance<TScheduler>(provider);
        }));
        return services;
    }

    /// <summary>Registers SOFT's self-adaptive curriculum, <see cref="AdaptiveDistanceScheduler"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="alpha">α, the sharpness of the schedule; the authors' default is 1.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection UseAdaptiveCurriculum(this IServiceCollection services, double alpha = 1) =>
        services.UseAdaptiveCurriculum(o => o.Alpha = alpha);

    /// <summary>Registers SOFT's self-adaptive curriculum, <see cref="AdaptiveDistanceScheduler"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection UseAdaptiveCurriculum(
        this IServiceCollection services,
        Action<AdaptiveDistanceSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.UseCurriculumScheduler<
            AdaptiveDistanceScheduler, AdaptiveDistanceSchedulerOptions, AdaptiveDistanceSchedulerOptionsValidator>(configure);
    }

    /// <summary>Registers <see cref="FixedScheduler"/>, a constant λ (0: plain SFT; 1: distilled data only, the ablation).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="lambda">The constant weight of the distilled loss, in [0, 1].</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection UseFixedCurriculum(this IServiceCollection services, double lambda)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<FixedSchedulerOptions, FixedSchedulerOptionsValidator>().Configure(o => o.Lambda = lambda);
        services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler>(provider =>
            new FixedScheduler(provider.GetRequiredService<IOptions<FixedSchedulerOptions>>().Value.Lambda)));
        return services;
    }

    /// <summary>Registers <see cref="LinearScheduler"/>, λ moving linearly from a start to an end value.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection UseLinearCurriculum(
        this IServiceCollection services,
        Action<LinearSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.UseCurriculumScheduler<LinearScheduler, LinearSchedulerOptions, LinearSchedulerOptionsValidator>(configure);
    }

    /// <summary>Registers <see cref="StepScheduler"/>, λ changing at milestone epochs.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection UseStepCurriculum(
        this IServiceCollection services,
        Action<StepSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.UseCurriculumScheduler<StepScheduler, StepSchedulerOptions, StepSchedulerOptionsValidator>(configure);
    }
}
