using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models.Lora;

/// <summary>
/// Replaces the targeted <see cref="Linear"/> submodules of a module tree by <see cref="LoraLinear"/> wrappers, in the
/// parent's registration and in the parent's field, and freezes everything but the adapters; and puts the original
/// layers back.
/// </summary>
internal static class LoraInjector
{
    private const int NamesShownInErrors = 12;

    /// <summary>What injection changed: the wrappers by path, and each parameter's requires_grad before freezing.</summary>
    public sealed record Injection(List<(string Path, LoraLinear Layer)> Layers, List<(Parameter Parameter, bool RequiresGrad)> Trainability);

    public static Injection Inject(nn.Module model, LoraOptions options)
    {
        var matcher = new LoraTargetMatcher(options);
        var modules = model.named_modules().ToList();

        if (modules.FirstOrDefault(m => m.module is LoraLinear) is { module: not null } adapted)
        {
            throw new InvalidOperationException(
                $"The model already has a LoRA layer at '{adapted.name}'. Inject adapters once per model; " +
                "to train a fresh adapter, unload the old one first or start again from a model without one.");
        }

        var targets = modules.Where(m => matcher.IsMatch(m.name)).ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException(NoMatchMessage(modules, matcher), nameof(options));
        }

        // Check every target before changing anything, so that a failure leaves the model as it was.
        var byPath = modules.ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var plans = new List<Plan>(targets.Count);
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (var (path, module) in targets)
        {
            if (module is not Linear linear)
            {
                throw new NotSupportedException(
                    $"LoRA target '{path}' is a {module.GetType().Name}; only Linear layers can be adapted. " +
                    $"Narrow the targets {matcher.Description} so that they name Linear modules only.");
            }

            if (!seen.Add(linear))
            {
                throw new NotSupportedException(
                    $"The Linear at '{path}' is registered at more than one path (shared weights); LoRA cannot adapt shared layers.");
            }

            var (parent, childName) = ParentOf(model, byPath, path);
            plans.Add(new Plan(path, parent, childName, linear, HoldingFields(parent, linear, path, typeof(LoraLinear))));
        }

        var trainability = model.named_parameters().Select(p => (p.parameter, p.parameter.requires_grad)).ToList();
        var layers = new List<(string, LoraLinear)>(plans.Count);
        foreach (var plan in plans)
        {
            var lora = new LoraLinear(plan.Linear, options.Rank, options.Alpha, options.Dropout);
            Swap(plan.Parent, plan.ChildName, plan.Fields, lora);
            layers.Add((plan.Path, lora));
        }

        Freeze(model, layers.Select(l => l.Item2));
        return new Injection(layers, trainability);
    }

    /// <summary>
    /// Puts each wrapper's base layer back where the wrapper is, disposes the adapter matrices, and restores every
    /// parameter's requires_grad as it was before injection.
    /// </summary>
    public static void Remove(nn.Module model, Injection injection)
    {
        var byPath = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var plans = new List<(nn.Module Parent, string ChildName, List<FieldInfo> Fields, LoraLinear Layer)>();
        foreach (var (path, layer) in injection.Layers)
        {
            if (!byPath.TryGetValue(path, out var current) || !ReferenceEquals(current, layer))
            {
                throw new InvalidOperationException($"The LoRA layer at '{path}' is no longer in the model; it was moved or replaced after injection.");
            }

            var (parent, childName) = ParentOf(model, byPath, path);
            plans.Add((parent, childName, HoldingFields(parent, layer, path, typeof(Linear)), layer));
        }

        foreach (var (parent, childName, fields, layer) in plans)
        {
            Swap(parent, childName, fields, layer.BaseLayer);
            // Only the adapter matrices die: disposing the wrapper itself would dispose the base layer it returns.
            layer.LoraA.Dispose();
            layer.LoraB.Dispose();
        }

        foreach (var (parameter, requiresGrad) in injection.Trainability)
        {
            parameter.requires_grad = requiresGrad;
        }
    }

    private static (nn.Module Parent, string ChildName) ParentOf(nn.Module model, Dictionary<string, nn.Module> byPath, string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? (model, path) : (byPath[path[..dot]], path[(dot + 1)..]);
    }

    private static void Swap(nn.Module parent, string childName, List<FieldInfo> fields, nn.Module replacement)
    {
        foreach (var field in fields)
        {
            field.SetValue(parent, replacement);
        }

        Reregister(parent, childName, replacement);
    }

    /// <summary>Sets requires_grad on the adapter matrices and clears it everywhere else.</summary>
    private static void Freeze(nn.Module model, IEnumerable<LoraLinear> layers)
    {
        var trainable = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var layer in layers)
        {
            trainable.Add(layer.LoraA.weight!);
            trainable.Add(layer.LoraB.weight!);
        }

        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = trainable.Contains(parameter);
        }
    }

    /// <summary>
    /// The parent's fields that hold <paramref name="child"/>. The parent's forward calls its submodules through
    /// these fields, so they must be rewritten too, and they must be able to hold a <paramref name="replacementType"/>.
    /// </summary>
    private static List<FieldInfo> HoldingFields(nn.Module parent, nn.Module child, string path, Type replacementType)
    {
        var fields = new List<FieldInfo>();
        for (var type = parent.GetType(); type is not null && type != typeof(nn.Module); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsValueType && ReferenceEquals(field.GetValue(parent), child))
                {
                    fields.Add(field);
                }
            }
        }

        if (fields.Count == 0)
        {
            throw new NotSupportedException(
                $"LoRA target '{path}' is registered in a {parent.GetType().Name} that does not hold it in a field " +
                "(for example a ModuleList, ModuleDict or Sequential). Replacing the registration alone would leave " +
                "the parent calling the old layer; hold the layer in a field typed Module<Tensor, Tensor> instead.");
        }

        if (fields.FirstOrDefault(f => !f.FieldType.IsAssignableFrom(replacementType)) is { } typed)
        {
            throw new NotSupportedException(
                $"LoRA target '{path}' is held in field '{typed.DeclaringType?.Name}.{typed.Name}' of type " +
                $"{typed.FieldType.Name}, which cannot hold a {replacementType.Name}. Declare the field as " +
                "torch.nn.Module<Tensor, Tensor> so that LoRA can swap the layer.");
        }

        return fields;
    }

    /// <summary>
    /// Swaps the registration of <paramref name="name"/> and re-adds the later siblings, so that parameter order
    /// (and with it state-dict and optimizer order) stays as it was before the swap.
    /// </summary>
    private static void Reregister(nn.Module parent, string name, nn.Module replacement)
    {
        var children = parent.named_children().ToList();
        int index = children.FindIndex(c => c.name == name);
        for (int i = index; i < children.Count; i++)
        {
            parent.register_module(children[i].name, null!);
        }

        parent.register_module(name, replacement);
        for (int i = index + 1; i < children.Count; i++)
        {
            parent.register_module(children[i].name, children[i].module);
        }
    }

    private static string NoMatchMessage(List<(string name, nn.Module module)> modules, LoraTargetMatcher matcher)
    {
        var linears = modules.Where(m => m.module is Linear).Select(m => m.name).ToList();
        if (linears.Count == 0)
        {
            return $"No module matched the LoRA targets {matcher.Description}: the model has no Linear modules.";
        }

        var lastNames = linears.Select(n => n[(n.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Take(NamesShownInErrors);
        var examples = linears.Take(NamesShownInErrors / 3);
        return $"No module matched the LoRA targets {matcher.Description}. Linear module names in this model: " +
            $"{string.Join(", ", lastNames)} (for example {string.Join(", ", examples)}; {linears.Count} Linear modules in all).";
    }

    private sealed record Plan(string Path, nn.Module Parent, string ChildName, Linear Linear, List<FieldInfo> Fields);
}
