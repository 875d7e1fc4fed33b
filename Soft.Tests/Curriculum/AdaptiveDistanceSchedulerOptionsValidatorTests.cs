using Soft.Curriculum;

namespace Soft.Tests.Curriculum;

public sealed class AdaptiveDistanceSchedulerOptionsValidatorTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_alpha_that_is_not_finite_and_positive(double alpha)
    {
        var result = new AdaptiveDistanceSchedulerOptionsValidator()
            .Validate(null, new AdaptiveDistanceSchedulerOptions { Alpha = alpha });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Alpha");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0.1)]
    public void Accepts_the_search_grid(double alpha)
    {
        new AdaptiveDistanceSchedulerOptionsValidator()
            .Validate(null, new AdaptiveDistanceSchedulerOptions { Alpha = alpha })
            .Succeeded.Should().BeTrue();
    }
}
