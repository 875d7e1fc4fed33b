using System.Diagnostics;
using System.Globalization;

namespace Soft.Reporting;

/// <summary>The process's peak resident memory, for the run facts of a report.</summary>
public static class PeakMemory
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
        if (OperatingSystem.IsLinux())
        {
            try
            {
                if (ParseVmHwm(File.ReadAllText(ProcStatusPath)) is { } bytes)
                    return bytes;
            }
            catch (IOException)
            {
                // A sandbox without /proc: fall through to the portable counter.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>The <c>VmHWM</c> value of a <c>/proc/[pid]/status</c> text in bytes, or null when the line is missing or malformed.</summary>
    internal static long? ParseVmHwm(string statusText)
    {
        foreach (string line in statusText.Split('\n'))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                continue;
            // The kernel always reports this field in kibibytes, as "VmHWM:\t  123456 kB".
            string[] parts = line["VmHWM:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB"
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib))
                return kib * 1024;
            return null;
        }
        return null;
    }
}
