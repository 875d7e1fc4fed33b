using System.Diagnostics;
using System.Reflection;

namespace Soft.Benchmarks;

/// <summary>This benchmark program started again as a child process, with other arguments and its output redirected.</summary>
internal static class ChildProcess
{
    // Under `dotnet Soft.Benchmarks.dll` the host is dotnet and the dll comes first.
    public static ProcessStartInfo Of(IEnumerable<string> arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable to start a child process.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }
}
