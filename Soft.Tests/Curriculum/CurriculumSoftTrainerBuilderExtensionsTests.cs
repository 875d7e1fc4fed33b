using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Curriculum;
using Soft.Pipeline;

namespace Soft.Tests.Curriculum;

public sealed class CurriculumSoftTrainerBuilderExtensionsTests
{
    private static ICurriculumScheduler Resolve(Action<SoftTrainerBuilder> register)
    {
        var builder = new SoftTrainerBuilder();
        register(builder);
        return builder.Services.BuildServiceProvider().GetRequiredService<ICurriculumScheduler>();
    }

    [Fact]
    public void Adaptive_curriculum_resolves_with_the_given_alpha()
    {
        var scheduler = Resolve(s => s.UseAdaptiveCurriculum(alpha: 10));

        scheduler.Should().BeOfType<AdaptiveDistanceScheduler>().Which.Alpha.Should().Be(10);
    }

    [Fact]
    public void Adaptive_curriculum_defaults_to_alpha_one()
    {
        Resolve(s => s.UseAdaptiveCurriculum()).Should().BeOfType<AdaptiveDistanceScheduler>().Which.Alpha.Should().Be(1);
    }

    [Fact]
    public void Invalid_alpha_fails_resolution_naming_the_option()
    {
        var act = () => Resolve(s => s.UseAdaptiveCurriculum(alpha: -1));

        act.Should().Throw<OptionsValidationException>().WithMessage("*Alpha*");
    }

    [Fact]
    public void Invalid_options_fail_at_startup()
    {
        var provider = new SoftTrainerBuilder().UseFixedCurriculum(lambda: 1.5).Services.BuildServiceProvider();

        provider.Invoking(p => p.GetRequiredService<IStartupValidator>().Validate())
            .Should().Throw<OptionsValidationException>().WithMessage("*Lambda*");
    }

    [Fact]
    public void Each_built_in_registration_resolves_its_scheduler()
    {
        Resolve(s => s.UseFixedCurriculum(0.3)).Should().BeOfType<FixedScheduler>().Which.Lambda.Should().Be(0.3);
        Resolve(s => s.UseLinearCurriculum(o => o.DurationEpochs = 3))
            .Should().BeOfType<LinearScheduler>().Which.DurationEpochs.Should().Be(3);
        Resolve(s => s.UseStepCurriculum(o => o.Milestones[2] = 0))
            .Should().BeOfType<StepScheduler>().Which.Milestones.Should().Equal([KeyValuePair.Create(2, 0.0)]);
    }

    [Fact]
    public void Invalid_linear_and_step_options_name_the_option()
    {
        var linear = () => Resolve(s => s.UseLinearCurriculum(o => o.DurationEpochs = 0));
        var step = () => Resolve(s => s.UseStepCurriculum(o => o.Milestones[0] = 0.5));

        linear.Should().Throw<OptionsValidationException>().WithMessage("*DurationEpochs*");
        step.Should().Throw<OptionsValidationException>().WithMessage("*Milestones?0?*");
    }

    [Fact]
    public void The_last_registration_wins()
    {
        var services = new SoftTrainerBuilder().UseAdaptiveCurriculum().UseFixedCurriculum(0).Services;

        services.Count(d => d.ServiceType == typeof(ICurriculumScheduler)).Should().Be(1);
        services.BuildServiceProvider().GetRequiredService<ICurriculumScheduler>().Should().BeOfType<FixedScheduler>().Which.Lambda.Should().Be(0);
    }

    [Fact]
    public void User_schedulers_register_with_their_own_options_and_validator()
    {
        var scheduler = Resolve(s => s.UseCurriculumScheduler<HalfOfFixedScheduler, FixedSchedulerOptions, FixedSchedulerOptionsValidator>(
            o => o.Lambda = 0.8));

        scheduler.NextLambda(new CurriculumHistory(null)).Should().Be(0.4);
        var invalid = () => Resolve(s => s.UseCurriculumScheduler<HalfOfFixedScheduler, FixedSchedulerOptions, FixedSchedulerOptionsValidator>(
            o => o.Lambda = 2));
        invalid.Should().Throw<OptionsValidationException>().WithMessage("*Lambda*");
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        SoftTrainerBuilder builder = null!;

        var act = () => builder.UseAdaptiveCurriculum();

        act.Should().Throw<ArgumentNullException>().WithParameterName("builder");
        new SoftTrainerBuilder().Invoking(b => b.UseLinearCurriculum(null!)).Should().Throw<ArgumentNullException>();
    }

    private sealed class HalfOfFixedScheduler(IOptions<FixedSchedulerOptions> options) : ICurriculumScheduler
    {
        public bool RequiresDistance => false;

        public double NextLambda(CurriculumHistory history) => options.Value.Lambda / 2;
    }
}
