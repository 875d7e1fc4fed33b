using System.Text.RegularExpressions;

namespace Soft.Models.Lora;

/// <summary>Decides which module paths a <see cref="LoraOptions"/> targets, with PEFT's rules.</summary>
internal sealed class LoraTargetMatcher
{
    private readonly Regex? _pattern;
    private readonly string? _patternText;
    private readonly string[] _names;

    public LoraTargetMatcher(LoraOptions options)
    {
        if (options.TargetModulesPattern is { } pattern)
        {
            // PEFT uses re.fullmatch on the whole path; anchor the pattern the same way.
            _pattern = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant);
            _patternText = pattern;
            _names = [];
        }
        else
        {
            _names = [.. options.TargetModules];
        }
    }

    /// <summary>The targets as written, for error messages.</summary>
    public string Description => _pattern is null
        ? $"[{string.Join(", ", _names)}]"
        : $"pattern '{_patternText}'";

    public bool IsMatch(string modulePath) => _pattern is not null
        ? _pattern.IsMatch(modulePath)
        : _names.Any(name => modulePath == name || modulePath.EndsWith("." + name, StringComparison.Ordinal));
}
