namespace Soft.Distillation;

/// <summary>
/// A distillation temperature applied to kept soft labels: each probability is raised to 1/T, and the loss renormalises
/// them (<see cref="Models.SoftTarget"/>). T = 1 leaves them as they are; T &gt; 1 flattens them towards the items the
/// teacher ranks below its top answer.
/// </summary>
internal static class SoftLabelTemperature
{
    /// <summary>The probabilities of <paramref name="labels"/> at <paramref name="temperature"/>, not yet renormalised.</summary>
    public static IReadOnlyList<double> Apply(IReadOnlyList<SoftLabel> labels, double temperature) =>
        temperature == 1 ? [.. labels.Select(l => l.Probability)] : [.. labels.Select(l => Math.Pow(l.Probability, 1 / temperature))];

    /// <summary>Why <paramref name="temperature"/> cannot be used with (or without) soft labels; null when it can.</summary>
    public static string? Problem(double temperature, bool softLabels) =>
        !(temperature > 0) || double.IsInfinity(temperature) ? $"must be a positive finite number, got {temperature}"
        : temperature != 1 && !softLabels ? $"is {temperature}, but the variant does not train on soft labels (a temperature only reshapes soft labels)"
        : null;
}
