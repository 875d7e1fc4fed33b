using System.Text;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>Copies checkpoint tensors into a module after checking names and shapes one by one.</summary>
internal static class CheckpointLoader
{
    /// <summary>
    /// Loads <paramref name="checkpoint"/> (already mapped to the module's names) into <paramref name="module"/>,
    /// converting dtypes. Every parameter must be present with its exact shape, and nothing may be left over.
    /// </summary>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped tensors, each listed by name.</exception>
    public static void Load(CausalLMModule module, IEnumerable<(string Name, Tensor Value)> checkpoint, string source)
    {
        var target = module.state_dict();
        var given = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in checkpoint)
            given[name] = value;

        var problems = new StringBuilder();
        foreach (string name in target.Keys.Where(k => !given.ContainsKey(k)).Order(StringComparer.Ordinal))
            problems.AppendLine($"  missing tensor '{name}' (expected shape {Shape(target[name])})");
        foreach (string name in given.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal))
            problems.AppendLine($"  unexpected tensor '{name}' (shape {Shape(given[name])})");
        foreach (var (name, expected) in target.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (given.TryGetValue(name, out var actual) && !actual.shape.SequenceEqual(expected.shape))
                problems.AppendLine($"  tensor '{name}' has shape {Shape(actual)} in the checkpoint but the model expects {Shape(expected)}");
        }
        if (problems.Length > 0)
            throw new InvalidDataException($"{source} does not match the model config (config.json):{Environment.NewLine}{problems.ToString().TrimEnd()}");

        using var noGrad = no_grad();
        foreach (var (name, parameter) in target)
            parameter.copy_(given[name]);
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
