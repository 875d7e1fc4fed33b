using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>Checks shared by the options validators, so every failure message has the same wording.</summary>
internal static class SchedulerValidation
{
    public static void CheckLambda(ValidateOptionsResultBuilder builder, double lambda, string property)
    {
        if (!(lambda >= 0 && lambda <= 1))
            builder.AddError($"must be a number in [0, 1] (was {lambda}).", property);
    }
}
