using Soft.IO;

namespace Soft.Benchmarks;

/// <summary>
/// A section of docs/BENCHMARKS.md that a benchmark writes: the text between its two markers is replaced (the
/// section is appended the first time), atomically; what is outside the markers is the hand-written part.
/// </summary>
internal sealed record DocumentSection(string Start, string End)
{
    /// <summary>The quality benchmark's section.</summary>
    /// <summary>The quality benchmark's section of one regime (the default regime keeps the section's first name).</summary>
    public static DocumentSection Quality(string regime)
    {
        string name = regime == QualityRegime.DefaultName ? "quality-benchmark" : $"quality-benchmark-{regime}";
        return new($"<!-- {name}:start (written by the quality benchmark; edits inside are overwritten) -->", $"<!-- {name}:end -->");
    }

    /// <summary>The memory benchmark's section (Resources).</summary>
    public static DocumentSection Resources { get; } = new(
        "<!-- resources-benchmark:start (written by the memory benchmark; edits inside are overwritten) -->",
        "<!-- resources-benchmark:end -->");

    public void Update(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        string block = $"{Start}\n{section.TrimEnd()}\n{End}";
        int start = text.IndexOf(Start, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        if (start >= 0 && end < start)
            throw new InvalidDataException($"{path}: the section's start marker '{Start}' has no end marker after it.");
        text = start >= 0 ? text[..start] + block + text[(end + End.Length)..] : text.TrimEnd() + "\n\n" + block + "\n";
        AtomicFile.WriteAllText(path, text);
    }
}
