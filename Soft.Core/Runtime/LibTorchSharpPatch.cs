using System.Diagnostics.CodeAnalysis;
using Soft.IO;

namespace Soft.Runtime;

/// <summary>
/// Makes TorchSharp 0.107's <c>libLibTorchSharp.so</c> load on hosts whose libstdc++ predates GCC 13
/// (Debian 12, Ubuntu 22.04). The library asks for <c>GLIBCXX_3.4.32</c> only for
/// <c>std::ios_base_library_init()</c>, a marker symbol that nothing relocates against, so marking that one
/// version requirement weak is enough for the dynamic loader to accept it. The edit happens on the copy
/// the process will load (never on anything in source control), only when the host lacks the version,
/// and is idempotent.
/// </summary>
internal static class LibTorchSharpPatch
{
    /// <summary>The only version requirement this patch relaxes; relaxing others would hide real missing symbols.</summary>
    public const string RelaxedVersion = "GLIBCXX_3.4.32";

    /// <summary>File name of TorchSharp's native shim on Linux.</summary>
    public const string LibraryFileName = "libLibTorchSharp.so";

    /// <summary>What <see cref="Apply"/> found and did.</summary>
    /// <param name="LibraryPath">The library that will be loaded, or null when none was found.</param>
    /// <param name="HostLibStdCxx">The libstdc++ the process uses, or null when it could not be located.</param>
    /// <param name="Patched">True when this call changed the file.</param>
    /// <param name="Message">A one-line account for logs and errors.</param>
    public sealed record Outcome(string? LibraryPath, string? HostLibStdCxx, bool Patched, string Message);

    /// <summary>
    /// Patches the <c>libLibTorchSharp.so</c> this process will load, if the host needs it. Never throws:
    /// a failure is described in the returned <see cref="Outcome"/> and surfaces later, with its cause,
    /// from <see cref="SoftRuntime.EnsureNativeLibrary"/>.
    /// </summary>
    public static Outcome Apply()
    {
        if (!OperatingSystem.IsLinux())
            return new Outcome(null, null, false, "Not Linux: nothing to patch.");
        try
        {
            string? library = FindLibrary();
            string? libstdcxx = FindHostLibStdCxx();
            if (library is null)
                return new Outcome(null, libstdcxx, false, $"{LibraryFileName} not found in the native search directories.");
            if (libstdcxx is null)
                return new Outcome(library, null, false, "The host libstdc++ could not be located; leaving the library as it is.");
            if (ElfVersionTable.Read(libstdcxx).Defined.Contains(RelaxedVersion))
                return new Outcome(library, libstdcxx, false, $"{libstdcxx} provides {RelaxedVersion}: no patch needed.");
            bool patched = PatchFile(library);
            return new Outcome(library, libstdcxx, patched,
                patched ? $"Marked {RelaxedVersion} weak in {library}." : $"{library} already tolerates a missing {RelaxedVersion}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new Outcome(null, null, false, $"Patching {LibraryFileName} failed: {e.Message}");
        }
    }

    /// <summary>
    /// Marks <see cref="RelaxedVersion"/> weak in the ELF file at <paramref name="path"/>, replacing it atomically
    /// so that a crash never leaves a half-written library.
    /// Returns false when the file already had the flag.
    /// </summary>
    public static bool PatchFile(string path)
    {
        byte[] image = File.ReadAllBytes(path);
        if (ElfVersionTable.MarkWeak(image, RelaxedVersion, path) == 0)
            return false;
        AtomicFile.Write(path, stream => stream.Write(image));
        return true;
    }

    /// <summary>
    /// The copy of <c>libLibTorchSharp.so</c> the runtime will load: the first one in the host's native
    /// search directories (from the app's deps.json), else beside TorchSharp.dll.
    /// </summary>
    public static string? FindLibrary()
    {
        foreach (string dir in NativeSearchDirectories())
        {
            string candidate = Path.Combine(dir, LibraryFileName);
            if (File.Exists(candidate))
                return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>The libstdc++ mapped into this process (the .NET runtime itself links it), else the usual system paths.</summary>
    public static string? FindHostLibStdCxx()
    {
        const string maps = "/proc/self/maps";
        if (File.Exists(maps))
        {
            foreach (string line in File.ReadLines(maps))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal))
                    return line[slash..].Trim();
            }
        }
        string[] known =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        return known.FirstOrDefault(File.Exists);
    }

    [SuppressMessage("Performance", "CA1859", Justification = "Lazy sequence keeps the probe order readable.")]
    private static IEnumerable<string> NativeSearchDirectories()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string dirs)
        {
            foreach (string dir in dirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return dir;
        }
        string? torchDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDir))
        {
            yield return Path.Combine(torchDir, "runtimes", "linux-x64", "native");
            yield return torchDir;
        }
        yield return AppContext.BaseDirectory;
    }
}
