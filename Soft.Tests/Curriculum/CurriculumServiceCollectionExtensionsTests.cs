using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class CurriculumServiceCollectionExtensionsTests
{
    private static ICurriculumScheduler Resolve(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        return services.BuildServiceProvider().GetRequiredService<ICurriculumScheduler>();
    }

    [Fact]
    public void AdaptiveCurriculumResolvesWithTheGivenAlpha()
    {
        var scheduler = Resolve(s => s.UseAdaptiveCurriculum(alpha: 10));

        scheduler.Should().BeOfType<AdaptiveDistanceScheduler>().Which.Alpha.Should().Be(10);
    }

    [Fact]
    public void AdaptiveCurriculumDefaultsToAlphaOne()
    {
        Resolve(s => s.UseAdaptiveCurriculum()).Should().BeOfType<AdaptiveDistanceScheduler>().Which.Alpha.Should().Be(1);
    }

    [Fact]
    public void InvalidAlphaFailsResolutionNamingTheOption()
    {
        var act = () => Resolve(s => s.UseAdaptiveCurriculum(alpha: -1));

        act.Should().Throw<OptionsValidationException>().WithMessage("*Alpha*");
    }

    [Fact]
    public void InvalidOptionsFailAtStartup()
    {
        var services = new ServiceCollection().UseFixedCurriculum(lambda: 1.5);
        var provider = services.BuildServiceProvider();

        provider.Invoking(p => p.GetRequiredService<IStartupValidator>().Validate())
            .Should().Throw<OptionsValidationException>().WithMessage("*Lambda*");
    }

    [Fact]
    public void EachBuiltInRegistrationResolvesItsScheduler()
    {
        Resolve(s => s.UseFixedCurriculum(0.3)).Should().BeOfType<FixedScheduler>().Which.Lambda.Should().Be(0.3);
        Resolve(s => s.UseLinearCurriculum(o => o.DurationEpochs = 3))
            .Should().BeOfType<LinearScheduler>().Which.DurationEpochs.Should().Be(3);
        Resolve(s => s.UseStepCurriculum(o => o.Milestones[2] = 0))
            .Should().BeOfType<StepScheduler>().Which.Milestones.Should().Equal([KeyValuePair.Create(2, 0.0)]);
    }

    [Fact]
    public void InvalidLinearAndStepOptionsNameTheOption()
    {
        var linear = () => Resolve(s => s.UseLinearCurriculum(o => o.DurationEpochs = 0));
        var step = () => Resolve(s => s.UseStepCurriculum(o => o.Milestones[0] = 0.5));

        linear.Should().Throw<OptionsValidationException>().WithMessage("*DurationEpochs*");
        step.Should().Throw<OptionsValidationException>().WithMessage("*Milestones?0?*");
    }

    [Fact]
    public void TheLastRegistrationWins()
    {
        var services = new ServiceCollection().UseAdaptiveCurriculum().UseFixedCurriculum(0);

        services.Count(d => d.ServiceType == typeof(ICurriculumScheduler)).Should().Be(1);
        services.BuildServiceProvider().GetRequiredService<ICurriculumScheduler>().Should().BeOfType<FixedScheduler>().Which.Lambda.Should().Be(0);
    }

    [Fact]
    public void UserSchedulersRegisterWithTheirOwnOptionsAndValidator()
    {
        var scheduler = Resolve(s => s.UseCurriculumScheduler<HalfOfFixedScheduler, FixedSchedulerOptions, FixedSchedulerOptionsValidator>(
            o => o.Lambda = 0.8));

        scheduler.NextLambda(new CurriculumHistory(null)).Should().Be(0.4);
        var invalid = () => Resolve(s => s.UseCurriculumScheduler<HalfOfFixedScheduler, FixedSchedulerOptions, FixedSchedulerOptionsValidator>(
            o => o.Lambda = 2));
        invalid.Should().Throw<OptionsValidationException>().WithMessage("*Lambda*");
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        IServiceCollection services = null!;

        var act = () => services.UseAdaptiveCurriculum();

        act.Should().Throw<ArgumentNullException>().WithParameterName("services");
        new ServiceCollection().Invoking(s => s.UseLinearCurriculum(null!)).Should().Throw<ArgumentNullException>();
    }

    private sealed class HalfOfFixedScheduler(IOptions<FixedSchedulerOptions> options) : ICurriculumScheduler
    {
        public bool RequiresDistance => false;

        public double NextLambda(CurriculumHistory history) => options.Value.Lambda / 2;
    }
}
