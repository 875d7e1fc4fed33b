using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Pipeline;
using Soft.Reporting;

namespace Soft.Curriculum;

/// <summary>
/// Chooses the SOFT stage's curriculum on a <see cref="SoftTrainerBuilder"/>; each method registers the scheduler
/// and its validated options (see <see cref="CurriculumServiceCollectionExtensions"/>), replacing any earlier choice.
/// </summary>
public static class CurriculumSoftTrainerBuilderExtensions
{
    /// <summary>The paper's self-adaptive curriculum: λ_e = min(exp(α·(d_{e−1}/d_0 − 1)), 1).</summary>
    public static SoftTrainerBuilder UseAdaptiveCurriculum(this SoftTrainerBuilder builder, double alpha = 1) =>
        Apply(builder, s => s.UseAdaptiveCurriculum(alpha));

    /// <summary>A constant mix: λ = <paramref name="lambda"/> every epoch (1: the ablation's curriculum; 0: SOFT repeats SFT).</summary>
    public static SoftTrainerBuilder UseFixedCurriculum(this SoftTrainerBuilder builder, double lambda) =>
        Apply(builder, s => s.UseFixedCurriculum(lambda));

    /// <summary>λ moving linearly from a start to an end value over a number of epochs.</summary>
    public static SoftTrainerBuilder UseLinearCurriculum(this SoftTrainerBuilder builder, Action<LinearSchedulerOptions> configure) =>
        Apply(builder, s => s.UseLinearCurriculum(configure));

    /// <summary>λ changing at milestone epochs.</summary>
    public static SoftTrainerBuilder UseStepCurriculum(this SoftTrainerBuilder builder, Action<StepSchedulerOptions> configure) =>
        Apply(builder, s => s.UseStepCurriculum(configure));

    /// <summary>Your own scheduler type, resolved from the container (its constructor may take options and services).</summary>
    public static SoftTrainerBuilder UseCurriculumScheduler<TScheduler>(this SoftTrainerBuilder builder)
        where TScheduler : class, ICurriculumScheduler =>
        Apply(builder, s => s.UseCurriculumScheduler<TScheduler>());

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
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder AddSoftLabelCurriculumVariant(this SoftTrainerBuilder builder, double alpha = 1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var scheduler = new AdaptiveDistanceScheduler(Options.Create(new AdaptiveDistanceSchedulerOptions { Alpha = alpha }));
        return builder.AddCurriculumVariant(new CurriculumVariant(name ?? SoftLabelVariantName(alpha), scheduler, SoftLabels: true));
    }

    /// <summary>The report name of a soft-label variant: <c>SOFT soft labels (α=1)</c>.</summary>
    public static string SoftLabelVariantName(double alpha) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SOFT soft labels (α={alpha})");

    /// <summary>The report name of an adaptive variant: <c>SOFT (α=10)</c>, with α in invariant culture.</summary>
    public static string VariantName(double alpha) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SOFT (α={alpha})");

    private static SoftTrainerBuilder Apply(SoftTrainerBuilder builder, Action<IServiceCollection> register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        register(builder.Services);
        return builder;
    }
}
