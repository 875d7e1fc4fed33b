using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Models;
using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Training;

/// <summary>
/// AdamW (decoupled weight decay, Loshchilov and Hutter) with parameter groups, computing exactly what TorchSharp
/// 0.107's <c>torch.optim.AdamW</c> computes (without amsgrad and maximize), op for op, but safe against the garbage
/// collector: every Scalar it hands to libtorch is held in a local until the call has returned.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp's <c>AdamW.step()</c> converts about eight numbers per parameter per step to temporary Scalars that
/// nothing keeps alive through the native call (see docs/TORCHSHARP-NOTES.md), so a collection during a step can free
/// one while libtorch reads it. This class creates the group's Scalars once per group and step (and those that depend on
/// a parameter's step count once per distinct count) in <c>using</c> declarations and reuses them for every parameter.
/// </para>
/// <para>
/// The update of a parameter p with gradient g at its step t (t counts the steps in which p had a gradient), in
/// TorchSharp's order: p ← p·(1 − lr·wd); m ← m·β₁ + g·(1 − β₁); v ← v·β₂ + g·g·(1 − β₂);
/// denom ← √v / √(1 − β₂ᵗ) + ε; p ← p − (lr / (1 − β₁ᵗ))·m / denom. Parameters without a gradient are skipped and
/// their step count does not advance.
/// </para>
/// <para>
/// State (m, v and t per parameter) lives outside every dispose scope and is freed by <see cref="Dispose"/>.
/// <see cref="Save"/> and <see cref="Load"/> write and read it as safetensors (see <see cref="Save"/> for the layout).
/// Not thread-safe; use it on the thread that trains.
/// </para>
/// </remarks>
internal sealed class AdamWOptimizer : IDisposable
{
    /// <summary>The <c>__metadata__</c> key whose value names the optimizer, and that value.</summary>
    public const string OptimizerKey = "optimizer", OptimizerName = "AdamW";

    /// <summary>The <c>__metadata__</c> key of the state layout version, and the version written.</summary>
    public const string VersionKey = "version", Version = "1";

    /// <summary>The <c>__metadata__</c> key of the JSON list of parameter groups.</summary>
    public const string GroupsKey = "param_groups";

    private readonly AdamWParameterGroup[] _groups;
    private readonly ParameterState[] _states;
    private bool _disposed;

    /// <summary>Creates the optimizer and zero state for every parameter (on the parameter's device, in its dtype).</summary>
    /// <param name="groups">The parameter groups; a parameter may appear only once over all of them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A parameter appears twice.</exception>
    public AdamWOptimizer(IEnumerable<AdamWParameterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = [.. groups];
        if (_groups.Any(g => g is null))
            throw new ArgumentNullException(nameof(groups), "A parameter group is null.");
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in _groups.SelectMany(g => g.Parameters))
        {
            // The same parameter twice would be updated twice per step (with one state in TorchSharp): refuse it.
            if (!seen.Add(parameter))
                throw new ArgumentException("A parameter appears more than once in the parameter groups.", nameof(groups));
        }
        var states = new List<ParameterState>(seen.Count);
        try
        {
            foreach (var parameter in _groups.SelectMany(g => g.Parameters))
                states.Add(new ParameterState(parameter));
        }
        catch
        {
            foreach (var state in states)
                state.Dispose();
            throw;
        }
        _states = [.. states];
    }

    /// <summary>The parameter groups, in the order given; set <see cref="AdamWParameterGroup.LearningRate"/> before a step to schedule it.</summary>
    public IReadOnlyList<AdamWParameterGroup> ParamGroups => _groups;

    /// <summary>How many steps the parameter at <paramref name="index"/> (over all groups, in order) has taken.</summary>
    public long StepOf(int index) => _states[index].Step;

    /// <summary>Updates every parameter that has a gradient, under <c>no_grad</c> and in a dispose scope of its own.</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int index = 0;
        foreach (var group in _groups)
        {
            double lr = group.LearningRate;
            using var decay = (1 - lr * group.WeightDecay).ToScalar();
            using var beta1 = group.Beta1.ToScalar();
            using var gradientWeight = (1 - group.Beta1).ToScalar();
            using var beta2 = group.Beta2.ToScalar();
            using var squareWeight = (1 - group.Beta2).ToScalar();
            using var epsilon = group.Epsilon.ToScalar();
            using var corrections = new BiasCorrections(group);
            for (int i = 0; i < group.Parameters.Count; i++)
            {
                var state = _states[index++];
                var parameter = state.Parameter;
                var grad = parameter.grad;
                if (grad is null)
                    continue;
                state.Step++;
                parameter.mul_(decay);
                corrections.MoveTo(state.Step);
                state.ExpAvg.mul_(beta1).add_(grad, gradientWeight);
                state.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, squareWeight);
                // TorchSharp: (exp_avg_sq.sqrt() / Math.Sqrt(bias_correction2)).add_(eps), whose add_ has an Int32 alpha of 1.
                var denominator = state.ExpAvgSq.sqrt().div(corrections.RootOfSecond).add_(epsilon, Scalars.One);
                parameter.addcdiv_(state.ExpAvg, denominator, corrections.NegativeStepSize);
            }
        }
    }

    /// <summary>
    /// Sets every existing gradient to zero in place, as TorchSharp's optimizers do (gradients are not set to null, so
    /// the next backward pass accumulates into the same tensors).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        foreach (var state in _states)
            state.Parameter.grad?.zero_();
    }

    /// <summary>
    /// Writes the state to <paramref name="stream"/> as safetensors. Tensors, for the parameter at position i over all
    /// groups in order: <c>state.i.exp_avg</c> and <c>state.i.exp_avg_sq</c> (shape and dtype of the parameter) and
    /// <c>state.i.step</c> (a 0-d I64). <c>__metadata__</c>: <c>format</c> = <c>pt</c>, <c>optimizer</c> =
    /// <c>AdamW</c>, <c>version</c> = <c>1</c> and <c>param_groups</c>, a JSON list of
    /// <c>{"lr", "betas": [β₁, β₂], "eps", "weight_decay", "params": [i, …]}</c> as in PyTorch's optimizer state dict.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        var tensors = new List<(string, Tensor)>(3 * _states.Length);
        for (int i = 0; i < _states.Length; i++)
        {
            var state = _states[i];
            tensors.Add((Key(i, "exp_avg"), state.ExpAvg));
            tensors.Add((Key(i, "exp_avg_sq"), state.ExpAvgSq));
            tensors.Add((Key(i, "step"), tensor(state.Step)));
        }
        var groups = new JsonArray();
        int index = 0;
        foreach (var group in _groups)
        {
            var indices = new JsonArray();
            for (int i = 0; i < group.Parameters.Count; i++)
                indices.Add(index++);
            groups.Add(new JsonObject
            {
                ["lr"] = group.LearningRate,
                ["betas"] = new JsonArray(group.Beta1, group.Beta2),
                ["eps"] = group.Epsilon,
                ["weight_decay"] = group.WeightDecay,
                ["params"] = indices,
            });
        }
        SafetensorsFile.Write(stream, tensors, new Dictionary<string, string>
        {
            [OptimizerKey] = OptimizerName,
            [VersionKey] = Version,
            [GroupsKey] = groups.ToJsonString(),
        });
    }

    /// <summary>
    /// Replaces the state (and each group's learning rate) with the one <see cref="Save"/> wrote to
    /// <paramref name="path"/>. Everything is checked before anything changes: the file must hold the same groups
    /// (sizes, betas, ε, weight decay) and, for every parameter, state of its shape and dtype.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not this optimizer's state; the message names the file and
    /// the first mismatching group or tensor.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tensors = SafetensorsFile.Read(path, out var metadata);
        try
        {
            var rates = CheckGroups(path, metadata);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            var steps = new long[_states.Length];
            for (int i = 0; i < _states.Length; i++)
            {
                var parameter = _states[i].Parameter;
                foreach (string name in new[] { "exp_avg", "exp_avg_sq" })
                {
                    string key = Key(i, name);
                    expected.Add(key);
                    var t = Find(tensors, path, key);
                    if (t.dtype != parameter.dtype || !t.shape.SequenceEqual(parameter.shape))
                    {
                        throw new InvalidDataException(
                            $"{path}: tensor '{key}' is {t.dtype} [{string.Join(", ", t.shape)}], but parameter {i} is " +
                            $"{parameter.dtype} [{string.Join(", ", parameter.shape)}]; the file was written for another model or adapter.");
                    }
                }
                string stepKey = Key(i, "step");
                expected.Add(stepKey);
                var step = Find(tensors, path, stepKey);
                if (step.dtype != ScalarType.Int64 || step.dim() != 0)
                    throw new InvalidDataException($"{path}: tensor '{stepKey}' must be a 0-d Int64, but it is {step.dtype} [{string.Join(", ", step.shape)}].");
                steps[i] = step.item<long>();
                if (steps[i] < 0)
                    throw new InvalidDataException($"{path}: tensor '{stepKey}' holds a negative step count ({steps[i]}).");
            }
            if (tensors.Keys.FirstOrDefault(k => !expected.Contains(k)) is { } extra)
                throw new InvalidDataException($"{path}: unexpected tensor '{extra}'; the optimizer has {_states.Length} parameters.");

            using var noGrad = no_grad();
            for (int i = 0; i < _states.Length; i++)
            {
                _states[i].ExpAvg.copy_(tensors[Key(i, "exp_avg")]);
                _states[i].ExpAvgSq.copy_(tensors[Key(i, "exp_avg_sq")]);
                _states[i].Step = steps[i];
            }
            for (int g = 0; g < _groups.Length; g++)
                _groups[g].LearningRate = rates[g];
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Frees the state tensors (the parameters belong to the caller).</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var state in _states)
            state.Dispose();
    }

    private static string Key(int index, string name) => $"state.{index.ToString(CultureInfo.InvariantCulture)}.{name}";

    private static Tensor Find(Dictionary<string, Tensor> tensors, string path, string key) =>
        tensors.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"{path}: tensor '{key}' is missing.");

    // Checks the metadata against the groups and returns each group's saved learning rate.
    private double[] CheckGroups(string path, Dictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(OptimizerKey, out string? optimizer) || optimizer != OptimizerName
            || !metadata.TryGetValue(VersionKey, out string? version) || version != Version)
        {
            throw new InvalidDataException(
                $"{path}: not an {OptimizerName} state file of version {Version} (metadata '{OptimizerKey}' = '{metadata.GetValueOrDefault(OptimizerKey)}', " +
                $"'{VersionKey}' = '{metadata.GetValueOrDefault(VersionKey)}').");
        }
        JsonArray groups;
        try
        {
            groups = JsonNode.Parse(metadata.GetValueOrDefault(GroupsKey) ?? "null")?.AsArray()
                ?? throw new InvalidDataException($"{path}: metadata '{GroupsKey}' is missing.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: metadata '{GroupsKey}' is not a JSON list ({e.Message}).", e);
        }
        if (groups.Count != _groups.Length)
            throw new InvalidDataException($"{path}: {groups.Count} parameter groups, but the optimizer has {_groups.Length}.");
        var rates = new double[groups.Count];
        int index = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = _groups[g];
            try
            {
                var node = groups[g]!.AsObject();
                var indices = node["params"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
                if (!indices.SequenceEqual(Enumerable.Range(index, group.Parameters.Count)))
                {
                    throw new InvalidDataException(
                        $"{path}: parameter group {g} holds parameters [{string.Join(", ", indices)}], but the optimizer's group {g} has " +
                        $"{group.Parameters.Count} parameters starting at {index}.");
                }
                index += indices.Length;
                var betas = node["betas"]!.AsArray();
                Compare(path, g, "betas[0]", betas[0]!.GetValue<double>(), group.Beta1);
                Compare(path, g, "betas[1]", betas[1]!.GetValue<double>(), group.Beta2);
                Compare(path, g, "eps", node["eps"]!.GetValue<double>(), group.Epsilon);
                Compare(path, g, "weight_decay", node["weight_decay"]!.GetValue<double>(), group.WeightDecay);
                rates[g] = node["lr"]!.GetValue<double>();
                if (!double.IsFinite(rates[g]) || rates[g] < 0)
                    throw new InvalidDataException($"{path}: parameter group {g} has learning rate {rates[g]}.");
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
            {
                throw new InvalidDataException($"{path}: parameter group {g} in metadata '{GroupsKey}' is malformed ({e.Message}).", e);
            }
        }
        return rates;
    }

    private static void Compare(string path, int group, string name, double saved, double actual)
    {
        if (saved != actual)
            throw new InvalidDataException($"{path}: parameter group {group} was saved with {name} = {saved.ToString("R", CultureInfo.InvariantCulture)}, but the optimizer has {actual.ToString("R", CultureInfo.InvariantCulture)}.");
    }

    private sealed class ParameterState : IDisposable
    {
        public ParameterState(Parameter parameter)
        {
            Parameter = parameter;
            using var noGrad = no_grad();
            ExpAvg = zeros_like(parameter).DetachFromDisposeScope();
            try
            {
                ExpAvgSq = zeros_like(parameter).DetachFromDisposeScope();
            }
            catch
            {
                ExpAvg.Dispose();
                throw;
            }
        }

        public Parameter Parameter { get; }

        public Tensor ExpAvg { get; }

        public Tensor ExpAvgSq { get; }

        public long Step { get; set; }

        public void Dispose()
        {
            ExpAvg.Dispose();
            ExpAvgSq.Dispose();
        }
    }

    // The Scalars that depend on a parameter's step count, √(1 − β₂ᵗ) and −lr / (1 − β₁ᵗ), made once per distinct count
    // (normally once per group and step) and kept alive until the next count or the end of the group.
    private sealed class BiasCorrections : IDisposable
    {
        private readonly AdamWParameterGroup _group;
        private long _step = -1;
        private Scalar? _root;
        private Scalar? _negativeStepSize;

        public BiasCorrections(AdamWParameterGroup group) => _group = group;

        public Scalar RootOfSecond => _root!;

        public Scalar NegativeStepSize => _negativeStepSize!;

        public void MoveTo(long step)
        {
            if (step == _step)
                return;
            Dispose();
            // The same double arithmetic as TorchSharp's AdamW.step.
            double biasCorrection1 = 1 - Math.Pow(_group.Beta1, step);
            double biasCorrection2 = 1 - Math.Pow(_group.Beta2, step);
            _root = Math.Sqrt(biasCorrection2).ToScalar();
            _negativeStepSize = (-(_group.LearningRate / biasCorrection1)).ToScalar();
            _step = step;
        }

        public void Dispose()
        {
            _root?.Dispose();
            _negativeStepSize?.Dispose();
            _root = null;
            _negativeStepSize = null;
            _step = -1;
        }
    }
}
