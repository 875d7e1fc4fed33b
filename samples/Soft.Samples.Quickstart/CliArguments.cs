using System.Reflection;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>
/// Finds an option that takes a value but was given none (<c>--train-samples</c> last, or followed by another option).
/// Spectre.Console.Cli then passes its internal placeholder as the value, and the error reads
/// "'__default_command' is not a whole number".
/// </summary>
internal static class CliArguments
{
    /// <summary>The message for the first option of <paramref name="settings"/> given without its value, or null.</summary>
    public static string? MissingValue(IReadOnlyList<string> args, params Type[] settings)
    {
        var needsValue = settings
            .SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Where(a => a is { ValueName: not null, ValueIsOptional: false })
            .SelectMany(a => a!.LongNames.Select(n => (Flag: "--" + n, a.ValueName)))
            // Both commands have --out <DIR>: one entry per flag.
            .DistinctBy(o => o.Flag, StringComparer.Ordinal)
            .ToDictionary(o => o.Flag, o => o.ValueName, StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            if (needsValue.TryGetValue(args[i], out string? value) && (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                return $"{args[i]} needs a value (<{value}>); see --help.";
        }
        return null;
    }
}
