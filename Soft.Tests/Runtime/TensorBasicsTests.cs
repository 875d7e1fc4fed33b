using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Tests.Runtime;

[Collection(TorchCollection.Name)]
public sealed class TensorBasicsTests
{
    public TensorBasicsTests() => SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = 1 });

    [Fact]
    public void Matmul_gives_known_values()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        a.matmul(b).data<float>().ToArray().Should().Equal(19f, 22f, 43f, 50f);
    }

    [Fact]
    public void Backward_gives_known_gradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        // d/dx [sum(x^2) + 3*x0] = 2x + (3, 0, 0)
        var loss = x.pow(2).sum() + x[0] * 3;
        loss.backward();
        loss.item<float>().Should().Be(17f);
        x.grad!.data<float>().ToArray().Should().Equal(5f, 4f, 6f);
    }

    [Fact]
    public void Same_seed_gives_identical_training_and_another_seed_does_not()
    {
        float[] first = Train(seed: 123);
        float[] second = Train(seed: 123);
        float[] other = Train(seed: 124);
        second.Should().Equal(first);
        other.Should().NotEqual(first);
    }

    [Fact]
    public void Managed_streams_depend_on_seed_and_name_only()
    {
        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = 9 });
        env.Device.Should().Be("cpu");
        env.Threads.Should().Be(2);
        int[] a = Draw(env.CreateRandom("shuffle"));
        int[] b = Draw(env.CreateRandom("shuffle"));
        int[] c = Draw(env.CreateRandom("sample"));
        int[] d = Draw(SoftRandom.Create(10, "shuffle"));
        b.Should().Equal(a);
        c.Should().NotEqual(a);
        d.Should().NotEqual(a);
        SoftRandom.DeriveSeed(9, "shuffle").Should().Be(SoftRandom.DeriveSeed(9, "shuffle"));
    }

    [Fact]
    public void Invalid_thread_count_is_rejected_with_the_option_name()
    {
        var act = () => SoftRuntime.Initialize(new SoftRuntimeOptions { Threads = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*Threads*");
    }

    private static int[] Draw(Random random) => Enumerable.Range(0, 8).Select(_ => random.Next(1000)).ToArray();

    private static float[] Train(long seed)
    {
        SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = seed });
        using var model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1));
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.05);
        var losses = new float[5];
        for (int step = 0; step < losses.Length; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(16, 4);
            var y = x.sum(1, keepdim: true).sin();
            var loss = nn.functional.mse_loss(model.call(x), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }
        return losses;
    }
}
