using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Pipeline;
using Soft.Reporting;

namespace Soft.Curriculum;

/// <summary>
/// Chooses the SOFT stage's curriculum on a <see cref="SoftTrainerBuilder"/>, the one way to register one: each
/// method writes the scheduler and its validated options into <see cref="SoftTrainerBuilder.Services"/> (a host's own
/// collection under <c>services.AddSoft</c>), replacing any earlier choice, as a trainer uses one scheduler.
/// Schedulers are singletons, which is safe because they are pure; invalid options throw
/// <see cref="OptionsValidationException"/> naming the property when the scheduler is resolved, and at host start.
/// </summary>
public static class CurriculumSoftTrainerBuilderExtensions
{
    /// <summary>The paper's self-adaptive curriculum: λ_e = min(exp(α·(d_{e−1}/d_0 − 1)), 1).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="alpha">α, the sharpness of the schedule; the authors' default is 1.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder UseAdaptiveCurriculum(this SoftTrainerBuilder builder, double alpha = 1) =>
        builder.UseCurriculumScheduler<AdaptiveDistanceScheduler, AdaptiveDistanceSchedulerOptions, AdaptiveDistanceSchedulerOptionsValidator>(o => o.Alpha = alpha);

    /// <summary>A constant mix: λ = <paramref name="lambda"/> every epoch (1: the ablation's curriculum; 0: SOFT repeats SFT).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="lambda">The constant weight of the distilled loss, in [0, 1].</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder UseFixedCurriculum(this SoftTrainerBuilder builder, double lambda)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<FixedSchedulerOptions, FixedSchedulerOptionsValidator>(o => o.Lambda = lambda);
        services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler>(provider =>
            new FixedScheduler(provider.GetRequiredService<IOptions<FixedSchedulerOptions>>().Value.Lambda)));
        return builder;
    }

    /// <summary>λ moving linearly from a start to an end value over a number of epochs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public static SoftTrainerBuilder UseLinearCurriculum(this SoftTrainerBuilder builder, Action<LinearSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseCurriculumScheduler<LinearScheduler, LinearSchedulerOptions, LinearSchedulerOptionsValidator>(configure);
    }

    /// <summary>λ changing at milestone epochs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public static SoftTrainerBuilder UseStepCurriculum(this SoftTrainerBuilder builder, Action<StepSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseCurriculumScheduler<StepScheduler, StepSchedulerOptions, StepSchedulerOptionsValidator>(configure);
    }

    /// <summary>Your own scheduler type, resolved from the container (its constructor may take options and services).</summary>
    public static SoftTrainerBuilder UseCurriculumScheduler<TScheduler>(this SoftTrainerBuilder builder)
        where TScheduler : class, ICurriculumScheduler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler, TScheduler>());
        return builder;
    }

    /// <summary>
    /// Your own scheduler type with its own options, configured by <paramref name="configure"/> and checked by
    /// <typeparamref name="TValidator"/> before the scheduler is constructed (and at host start).
    /// </summary>
    /// <typeparam name="TScheduler">The scheduler; typically its constructor takes <see cref="IOptions{TOptions}"/>.</typeparam>
    /// <typeparam name="TOptions">The scheduler's options.</typeparam>
    /// <typeparam name="TValidator">The validator of <typeparamref name="TOptions"/>.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; null keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder UseCurriculumScheduler<TScheduler, TOptions, TValidator>(this SoftTrainerBuilder builder, Action<TOptions>? configure = null)
        where TScheduler : class, ICurriculumScheduler
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<TOptions, TValidator>(configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICurriculumScheduler>(provider =>
        {
            // Validate before construction, so a scheduler that reads its options lazily still fails at resolution.
            _ = provider.GetRequiredService<IOptions<TOptions>>().Value;
            return ActivatorUtilities.CreateInstance<TScheduler>(provider);
        }));
        return builder;
    }

    /// <summary>
    /// Adds a SOFT variant with the adaptive curriculum at another <paramref name="alpha"/>, trained on the run's SFT
    /// model and D̂ after SOFT (see <see cref="CurriculumVariant"/>): an α sweep in one run.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="alpha">The variant's α; validated like the main scheduler's.</param>
    /// <param name="name">Method name in the report; defaults to <c>SOFT (α=…)</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="OptionsValidationException"><paramref name="alpha"/> is not a positive finite number.</exception>
    public static SoftTrainerBuilder AddAdaptiveCurriculumVariant(this SoftTrainerBuilder builder, double alpha, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var scheduler = new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = alpha }));
        return builder.AddCurriculumVariant(name ?? VariantName(alpha), scheduler);
    }

    /// <summary>
    /// Adds the paper's ablation "SOFT without self-adaptation" (<see cref="ReportMethodNames.WithoutSelfAdaptation"/>):
    /// a variant trained on D̂ only, λ = 1 every epoch (<see cref="FixedScheduler"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder AddWithoutSelfAdaptationVariant(this SoftTrainerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCurriculumVariant(ReportMethodNames.WithoutSelfAdaptation, new FixedScheduler(1));
    }

    /// <summary>
    /// Adds soft-label SOFT, a distiller beyond the paper: the adaptive curriculum with <paramref name="alpha"/>, whose
    /// distilled term is the cross-entropy to the SFT model's top next-item probabilities kept in D̂
    /// (<c>BeamSelfDistillerOptions.SoftLabels</c>) instead of its top answer. Needs item tokens.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="alpha">α of the adaptive curriculum; the paper's default is 1.</param>
    /// <param name="name">Method name; null for <see cref="SoftLabelVariantName"/>.</param>
    /// <param name="temperature">The soft labels' temperature (<see cref="CurriculumVariant.SoftLabelTemperature"/>); 1 keeps them as distilled.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder AddSoftLabelCurriculumVariant(this SoftTrainerBuilder builder, double alpha = 1, string? name = null, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var scheduler = new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = alpha }));
        return builder.AddCurriculumVariant(new CurriculumVariant(name ?? SoftLabelVariantName(alpha, temperature), scheduler, SoftLabels: true, temperature));
    }

    /// <summary>The report name of a soft-label variant: <c>SOFT soft labels (α=1)</c>, or <c>SOFT soft labels (α=1, T=2)</c> at another temperature.</summary>
    public static string SoftLabelVariantName(double alpha, double temperature = 1) => temperature == 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SOFT soft labels (α={alpha})")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SOFT soft labels (α={alpha}, T={temperature})");

    /// <summary>The report name of an adaptive variant: <c>SOFT (α=10)</c>, with α in invariant culture.</summary>
    public static string VariantName(double alpha) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SOFT (α={alpha})");
}
