using TorchSharp.Modules;

namespace Soft.Training;

/// <summary>
/// Parameters that <see cref="AdamWOptimizer"/> updates with the same hyperparameters, as a PyTorch param group. The
/// learning rate may change between steps (schedules set it before each step); the other hyperparameters are fixed.
/// </summary>
internal sealed class AdamWParameterGroup
{
    private double _learningRate;

    /// <summary>Creates a group.</summary>
    /// <param name="parameters">The parameters, in a fixed order (it keys the saved state); may be empty.</param>
    /// <param name="learningRate">The learning rate; finite and not negative.</param>
    /// <param name="beta1">Decay of the running mean of gradients, in [0, 1).</param>
    /// <param name="beta2">Decay of the running mean of squared gradients, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator; finite and not negative.</param>
    /// <param name="weightDecay">Decoupled weight decay (the parameter shrinks by lr·weightDecay per step); finite and not negative.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdamWParameterGroup(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Any(p => p is null))
            throw new ArgumentNullException(nameof(parameters), "A parameter group holds a null parameter.");
        LearningRate = learningRate;
        CheckBeta(beta1, nameof(beta1));
        CheckBeta(beta2, nameof(beta2));
        CheckNonNegative(epsilon, nameof(epsilon));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate of the next steps; finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            CheckNonNegative(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>Decay of the running mean of gradients (β₁).</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the running mean of squared gradients (β₂).</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator (ε).</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; }

    private static void CheckBeta(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, "A beta must be in [0, 1).");
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and not negative.");
    }
}
