using Soft.IO;
using Soft.Runtime;
using Soft.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Tests.Training;

/// <summary>
/// <see cref="AdamWOptimizer"/> computes exactly what TorchSharp's <c>optim.AdamW</c> computes, and its state file
/// resumes training bit for bit and refuses state written for other parameters.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AdamWOptimizerTests : IDisposable
{
    private const int Steps = 20;
    private const int LateStart = 8;

    private readonly TempFolder _temp = new();

    public AdamWOptimizerTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = 1 });

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Twenty_steps_give_bit_identical_parameters_to_TorchSharps_AdamW()
    {
        using var reference = new Toy(seed: 11);
        using var ours = new Toy(seed: 11);
        var initial = reference.Bytes();
        var start = ours.Bytes();
        for (int i = 0; i < initial.Count; i++)
            start[i].Should().Equal(initial[i], "both start from the same initialisation");

        using (var torchSharp = new AdamW(
            [
                new AdamW.ParamGroup(reference.Matrices, 1e-2, 0.9, 0.95, 1e-8, 0.1, false, false),
                new AdamW.ParamGroup(reference.Vectors, 1e-2, 0.9, 0.95, 1e-8, 0, false, false),
            ], 1e-2, 0.9, 0.95, 1e-8, 0.1))
        {
            for (int step = 0; step < Steps; step++)
            {
                foreach (var group in torchSharp.ParamGroups)
                    group.LearningRate = Rate(step);
                reference.Backward(step);
                torchSharp.step();
                torchSharp.zero_grad();
            }
        }

        using var optimizer = ours.Optimizer();
        for (int step = 0; step < Steps; step++)
            TrainStep(ours, optimizer, step);

        var expected = reference.Bytes();
        var actual = ours.Bytes();
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].Should().Equal(expected[i], $"parameter {i} must be bit-identical after {Steps} steps");
            actual[i].Should().NotEqual(initial[i], $"parameter {i} must have been trained");
        }
        // The late layer had no gradient for its first steps, so its step count lags: the per-parameter counts matter.
        optimizer.StepOf(0).Should().Be(Steps);
        optimizer.StepOf(ours.Matrices.Count - 1).Should().Be(Steps - LateStart);
    }

    [Fact]
    public void ZeroGrad_sets_gradients_to_zero_and_keeps_them()
    {
        using var toy = new Toy(seed: 3);
        using var optimizer = toy.Optimizer();
        toy.Backward(step: LateStart);
        optimizer.ZeroGrad();
        foreach (var parameter in toy.Matrices.Concat(toy.Vectors))
        {
            using var grad = parameter.grad;
            grad.Should().NotBeNull();
            grad!.abs().sum().item<float>().Should().Be(0);
        }
    }

    [Fact]
    public void A_saved_and_loaded_state_continues_to_the_bytes_of_an_uninterrupted_run()
    {
        using var whole = new Toy(seed: 5);
        using (var optimizer = whole.Optimizer())
        {
            for (int step = 0; step < Steps; step++)
                TrainStep(whole, optimizer, step);
        }

        using var resumed = new Toy(seed: 5);
        string path = Path.Combine(_temp.Path, "optimizer.safetensors");
        using (var first = resumed.Optimizer())
        {
            for (int step = 0; step < Steps / 2; step++)
                TrainStep(resumed, first, step);
            AtomicFile.Write(path, first.Save);
        }
        using (var second = resumed.Optimizer())
        {
            second.Load(path);
            second.ParamGroups.Select(g => g.LearningRate).Should().OnlyContain(r => r == Rate(Steps / 2 - 1), "the learning rate is restored");
            second.StepOf(0).Should().Be(Steps / 2);
            for (int step = Steps / 2; step < Steps; step++)
                TrainStep(resumed, second, step);
        }

        var expected = whole.Bytes();
        var actual = resumed.Bytes();
        for (int i = 0; i < expected.Count; i++)
            actual[i].Should().Equal(expected[i], $"parameter {i}");
    }

    [Fact]
    public void Loading_state_of_other_parameters_names_the_file_and_the_tensor()
    {
        string path = Path.Combine(_temp.Path, "optimizer.safetensors");
        using (var wide = new Toy(seed: 1, hidden: 12))
        using (var optimizer = wide.Optimizer())
            AtomicFile.Write(path, optimizer.Save);

        using var toy = new Toy(seed: 1);
        using var target = toy.Optimizer();
        var act = () => target.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: tensor 'state.0.exp_avg' is Float32 [12, 8], but parameter 0 is Float32 [16, 8]*");
        target.StepOf(0).Should().Be(0, "nothing is loaded from a mismatching file");
    }

    [Fact]
    public void Loading_state_of_other_groups_or_another_file_kind_is_refused()
    {
        string path = Path.Combine(_temp.Path, "optimizer.safetensors");
        using var toy = new Toy(seed: 1);
        using (var optimizer = new AdamWOptimizer([new AdamWParameterGroup(toy.Matrices, 1e-3)]))
            AtomicFile.Write(path, optimizer.Save);
        using var target = toy.Optimizer();
        var act = () => target.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: 1 parameter groups, but the optimizer has 2.");

        string weights = Path.Combine(_temp.Path, "model.safetensors");
        Soft.Models.SafetensorsFile.Write(weights, [("w", toy.Matrices[0])]);
        act = () => target.Load(weights);
        act.Should().Throw<InvalidDataException>().WithMessage($"{weights}: not an AdamW state file*");
    }

    [Fact]
    public void A_parameter_in_two_groups_is_refused()
    {
        using var toy = new Toy(seed: 1);
        var act = () => new AdamWOptimizer([new AdamWParameterGroup(toy.Matrices, 1e-3), new AdamWParameterGroup(toy.Matrices.Take(1), 1e-3)]);
        act.Should().Throw<ArgumentException>().WithMessage("A parameter appears more than once*");
    }

    // The learning rate changes every step, as a warm-up schedule does.
    private static double Rate(int step) => 1e-2 * (step + 1) / Steps;

    private static void TrainStep(Toy toy, AdamWOptimizer optimizer, int step)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = Rate(step);
        toy.Backward(step);
        optimizer.Step();
        optimizer.ZeroGrad();
    }

    // Two layers with a tanh, plus a third layer that joins the loss only from step LateStart on.
    private sealed class Toy : IDisposable
    {
        private readonly Linear _first;
        private readonly Linear _second;
        private readonly Linear _late;
        private readonly Tensor _inputs;
        private readonly Tensor _targets;

        public Toy(long seed, int hidden = 16)
        {
            random.manual_seed(seed);
            _first = nn.Linear(8, hidden);
            _second = nn.Linear(hidden, 4);
            _late = nn.Linear(8, 4);
            _inputs = randn(32, 8).DetachFromDisposeScope();
            _targets = randn(32, 4).DetachFromDisposeScope();
            Matrices = [_first.weight!, _second.weight!, _late.weight!];
            Vectors = [_first.bias!, _second.bias!, _late.bias!];
        }

        public IReadOnlyList<Parameter> Matrices { get; }

        public IReadOnlyList<Parameter> Vectors { get; }

        public AdamWOptimizer Optimizer() => new(
        [
            new AdamWParameterGroup(Matrices, 1e-2, 0.9, 0.95, 1e-8, 0.1),
            new AdamWParameterGroup(Vectors, 1e-2, 0.9, 0.95, 1e-8, 0),
        ]);

        public void Backward(int step)
        {
            using var scope = NewDisposeScope();
            var output = _second.call(_first.call(_inputs).tanh());
            if (step >= LateStart)
                output = output.add(_late.call(_inputs), Scalars.One);
            nn.functional.mse_loss(output, _targets).backward();
        }

        public List<byte[]> Bytes()
        {
            using var scope = NewDisposeScope();
            return [.. Matrices.Concat(Vectors).Select(p => p.detach().cpu().bytes.ToArray())];
        }

        public void Dispose()
        {
            _first.Dispose();
            _second.Dispose();
            _late.Dispose();
            _inputs.Dispose();
            _targets.Dispose();
        }
    }
}
