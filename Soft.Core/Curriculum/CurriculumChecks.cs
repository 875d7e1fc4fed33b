using Microsoft.Extensions.Options;

namespace Soft.Curriculum;

/// <summary>
/// The range rules of the curriculum's values, in one place: the schedulers, their options validators, the history
/// types and the trainer's check of a scheduler's answer all ask here, so a λ is valid (and an error worded) the same
/// way wherever it is checked. Soft.Curriculum sees it through InternalsVisibleTo.
/// </summary>
internal static class CurriculumChecks
{
    /// <summary>What is wrong with <paramref name="lambda"/> as a λ, or null when it is one; callers put the field's name in front.</summary>
    // A negated range test, so that NaN fails as well.
    public static string? LambdaProblem(double lambda) =>
        lambda >= 0 && lambda <= 1 ? null : $"must be a number in [0, 1] (was {lambda}).";

    public static void ThrowIfNotLambda(double lambda, string paramName = "lambda")
    {
        if (LambdaProblem(lambda) is { } problem)
            throw new ArgumentOutOfRangeException(paramName, lambda, $"λ {problem}");
    }

    public static void CheckLambda(ValidateOptionsResultBuilder errors, double lambda, string property)
    {
        if (LambdaProblem(lambda) is { } problem)
            errors.AddError(problem, property);
    }

    public static void ThrowIfNotDistance(double distance, string paramName)
    {
        if (!double.IsFinite(distance) || distance < 0)
            throw new ArgumentOutOfRangeException(paramName, distance, "A distance must be finite and non-negative.");
    }
}
