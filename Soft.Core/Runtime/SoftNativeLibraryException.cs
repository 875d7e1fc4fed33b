namespace Soft.Runtime;

/// <summary>
/// Thrown when libtorch or TorchSharp's native shim cannot be loaded. The message names the file and the
/// real cause (for example a symbol version the host's libstdc++ lacks), not TorchSharp's generic text.
/// </summary>
public sealed class SoftNativeLibraryException : Exception
{
    /// <summary>Creates the exception with a diagnostic message.</summary>
    public SoftNativeLibraryException(string message) : base(message) { }

    /// <summary>Creates the exception with a diagnostic message and the exception TorchSharp threw.</summary>
    public SoftNativeLibraryException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with no message; prefer the constructors that explain the cause.</summary>
    public SoftNativeLibraryException() : base("The TorchSharp native library could not be loaded.") { }
}
