namespace Soft.Curriculum;

/// <summary>Argument checks shared by the curriculum types, so every one words its errors the same way.</summary>
internal static class CurriculumChecks
{
    public static void ThrowIfNotLambda(double lambda, string paramName = "lambda")
    {
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(paramName, lambda, "λ must be a number in [0, 1].");
    }

    public static void ThrowIfNotDistance(double distance, string paramName)
    {
        if (!double.IsFinite(distance) || distance < 0)
            throw new ArgumentOutOfRangeException(paramName, distance, "A distance must be finite and non-negative.");
    }
}
