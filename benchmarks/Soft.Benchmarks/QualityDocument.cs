using Soft.IO;

namespace Soft.Benchmarks;

/// <summary>Replaces the quality section of docs/BENCHMARKS.md between its markers (appending it the first time), atomically.</summary>
internal static class QualityDocument
{
    public const string Start = "<!-- quality-benchmark:start (written by the quality benchmark; edits inside are overwritten) -->";
    public const string End = "<!-- quality-benchmark:end -->";

    public static void Update(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        string block = $"{Start}\n{section.TrimEnd()}\n{End}";
        int start = text.IndexOf(Start, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        if (start >= 0 && end < start)
            throw new InvalidDataException($"{path}: the quality section's start marker has no end marker after it.");
        text = start >= 0 ? text[..start] + block + text[(end + End.Length)..] : text.TrimEnd() + "\n\n" + block + "\n";
        AtomicFile.WriteAllText(path, text);
    }
}
