using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Soft.Training;

namespace Soft.Tests.Training;

/// <summary>AddSoftTraining registers validated options and the trainer.</summary>
public sealed class TrainingServiceCollectionExtensionsTests
{
    [Fact]
    public void Resolves_a_trainer_with_the_configured_options()
    {
        using var provider = new ServiceCollection()
            .AddSoftTraining(o =>
            {
                o.MaxEpochs = 3;
                o.Lora = null;
            })
            .BuildServiceProvider();

        var trainer = provider.GetRequiredService<CurriculumTrainer>();
        trainer.Options.MaxEpochs.Should().Be(3);
        trainer.Options.Lora.Should().BeNull();
        trainer.Options.LearningRate.Should().Be(1e-4, "unset options keep the reference's values");
        provider.GetRequiredService<CurriculumTrainer>().Should().BeSameAs(trainer);
    }

    [Fact]
    public void Invalid_options_fail_on_resolution_naming_the_option()
    {
        using var provider = new ServiceCollection().AddSoftTraining(o => o.LearningRate = -1).BuildServiceProvider();

        var act = () => provider.GetRequiredService<CurriculumTrainer>();

        act.Should().Throw<OptionsValidationException>().WithMessage("*LearningRate*");
    }

    [Fact]
    public void Does_not_accept_null_services() =>
        FluentActions.Invoking(() => TrainingServiceCollectionExtensions.AddSoftTraining(null!)).Should().Throw<ArgumentNullException>();
}
