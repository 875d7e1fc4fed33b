using System.Diagnostics;
using System.Globalization;

namespace Soft.Reporting;

/// <summary>The process's resident memory from <c>/proc/self/status</c>: the peak, for the run facts of a report, and the current size, for soak checks.</summary>
internal static class PeakMemory
{
    private const string ProcStatusPath = "/proc/self/status";

    /// <summary>
    /// The highest resident set size this process has reached, in bytes: <c>VmHWM</c> from
    /// <c>/proc/self/status</c> on Linux, otherwise <see cref="Process.PeakWorkingSet64"/>.
    /// </summary>
    /// <returns>The peak resident memory in bytes.</returns>
    /// <remarks>
    /// On Linux, .NET's <see cref="Process.PeakWorkingSet64"/> reads the same line, but going to the file
    /// directly avoids building a <see cref="Process"/> snapshot (which reads several other /proc files) and keeps
    /// the source of the number explicit.
    /// </remarks>
    public static long GetPeakBytes()
    {
        if (ReadStatusBytes("VmHWM") is { } bytes)
            return bytes;
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>
    /// The resident set size now, in bytes: <c>VmRSS</c> from <c>/proc/self/status</c> on Linux, otherwise
    /// <see cref="Process.WorkingSet64"/>.
    /// </summary>
    /// <returns>The resident memory in bytes.</returns>
    public static long GetResidentBytes()
    {
        if (ReadStatusBytes("VmRSS") is { } bytes)
            return bytes;
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static long? ReadStatusBytes(string field)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return ParseStatusField(File.ReadAllText(ProcStatusPath), field);
        }
        catch (IOException)
        {
            // A sandbox without /proc: the caller falls back to the portable counter.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The value of a kibibyte field (<c>VmHWM</c>, <c>VmRSS</c>, …) of a <c>/proc/[pid]/status</c> text in bytes, or
    /// null when the line is missing or malformed.
    /// </summary>
    internal static long? ParseStatusField(string statusText, string field)
    {
        string prefix = field + ":";
        foreach (string line in statusText.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            // The kernel always reports these fields in kibibytes, as "VmHWM:\t  123456 kB".
            string[] parts = line[prefix.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB"
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib))
                return kib * 1024;
            return null;
        }
        return null;
    }
}
