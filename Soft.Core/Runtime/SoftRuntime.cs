using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Soft.Runtime;

/// <summary>
/// Entry point for process-wide TorchSharp setup: loads the native library (patching it where the host needs
/// it), chooses the device, the default dtype and the thread count, and seeds every random generator.
/// </summary>
public static class SoftRuntime
{
    private static readonly Lock Gate = new();
    private static LibTorchSharpPatch.Outcome? _patch;
    private static bool _loaded;

    /// <summary>What the load-time patch found and did; null before Soft.Core was first touched.</summary>
    internal static LibTorchSharpPatch.Outcome? PatchOutcome => _patch;

    // Runs before any Soft type is used, so that TorchSharp's lazy native load (in torch's static
    // constructor) sees the patched library. Applications calling torch before any Soft API should call
    // EnsureNativeLibrary first.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The patch must precede TorchSharp's first native call.")]
    internal static void PatchOnLoad() => _patch = LibTorchSharpPatch.Apply();

    /// <summary>
    /// Loads libtorch and TorchSharp's native shim, once per process.
    /// </summary>
    /// <exception cref="SoftNativeLibraryException">The native library cannot be loaded; the message names the file and the cause.</exception>
    public static void EnsureNativeLibrary()
    {
        lock (Gate)
        {
            if (_loaded)
                return;
            _patch ??= LibTorchSharpPatch.Apply();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new SoftNativeLibraryException(Diagnose(_patch), e);
            }
            _loaded = true;
        }
    }

    /// <summary>Applies <paramref name="options"/> to the process and returns what is in force.</summary>
    /// <exception cref="ArgumentException">An option is out of range or CUDA was required but is unavailable.</exception>
    public static SoftEnvironment Initialize(SoftRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Threads is <= 0)
            throw new ArgumentException($"SoftRuntimeOptions.Threads must be positive, got {options.Threads}.", nameof(options));
        EnsureNativeLibrary();

        bool cuda = ResolveDevice(options.Device, "SoftRuntimeOptions.Device").type == DeviceType.CUDA;
        if (options.Threads is int threads)
            torch.set_num_threads(threads);
        torch.set_default_dtype(ToScalarType(options.DefaultDType));
        Seed(options.Seed);
        return new SoftEnvironment(cuda ? "cuda:0" : "cpu", options.DefaultDType, torch.get_num_threads(), options.Seed);
    }

    /// <summary>Seeds torch's default generators (CPU and, when present, CUDA).</summary>
    public static void Seed(long seed)
    {
        EnsureNativeLibrary();
        torch.manual_seed(seed);
        if (torch.cuda.is_available())
            torch.cuda.manual_seed_all(seed);
    }

    /// <summary>The TorchSharp scalar type for <paramref name="dtype"/>.</summary>
    public static torch.ScalarType ToScalarType(SoftDType dtype) => dtype switch
    {
        SoftDType.Float32 => torch.ScalarType.Float32,
        SoftDType.BFloat16 => torch.ScalarType.BFloat16,
        SoftDType.Float16 => torch.ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>
    /// Explains why the native library failed to load: unmet symbol versions against the host's libstdc++,
    /// and the loader's own message for the shim.
    /// </summary>
    internal static string Diagnose(LibTorchSharpPatch.Outcome? patch)
    {
        var lines = new List<string> { "TorchSharp's native library could not be loaded." };
        string? library = patch?.LibraryPath ?? LibTorchSharpPatch.FindLibrary();
        if (library is null)
        {
            lines.Add($"No {LibTorchSharpPatch.LibraryFileName} was found next to the application. Reference a native backend package in the application: libtorch-cpu-linux-x64 (CPU) or TorchSharp-cuda-linux / TorchSharp-cuda-windows (NVIDIA).");
            return string.Join(Environment.NewLine, lines);
        }
        lines.AddRange(UnmetVersions(library, LibTorchSharpPatch.FindHostLibStdCxx()));
        if (OperatingSystem.IsLinux() && !NativeLibrary.TryLoad(library, out _))
        {
            try
            {
                NativeLibrary.Load(library);
            }
            catch (DllNotFoundException e)
            {
                lines.Add($"Loader: {e.Message}");
            }
        }
        if (patch is not null)
            lines.Add($"Patch step: {patch.Message}");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Every non-weak version <paramref name="library"/> needs from libstdc++ that <paramref name="libstdcxx"/> does not define.</summary>
    internal static IEnumerable<string> UnmetVersions(string library, string? libstdcxx)
    {
        if (libstdcxx is null)
            yield break;
        var defined = ElfVersionTable.Read(libstdcxx).Defined.ToHashSet(StringComparer.Ordinal);
        foreach (var need in ElfVersionTable.Read(library).Needed)
        {
            if (need.File.StartsWith("libstdc++", StringComparison.Ordinal) && !need.IsWeak && !defined.Contains(need.Name))
                yield return $"{library} requires symbol version {need.Name} from {need.File}, which {libstdcxx} does not provide.";
        }
    }

    /// <summary>
    /// The device <paramref name="preference"/> means here: CPU, CUDA (refused with an error naming
    /// <paramref name="option"/> when no CUDA device is available), or, for <see cref="DevicePreference.Auto"/>, CUDA
    /// when there is one.
    /// </summary>
    internal static torch.Device ResolveDevice(DevicePreference preference, string option) => preference switch
    {
        DevicePreference.Cpu => torch.CPU,
        DevicePreference.Cuda => torch.cuda.is_available()
            ? torch.CUDA
            : throw new ArgumentException($"{option} is Cuda, but no CUDA device is available (a CUDA TorchSharp backend and a GPU are both needed)."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
