namespace Soft.Serving;

/// <summary>
/// An exported bundle is not what its export wrote: a file it lists is missing or its bytes changed, or a file it does
/// not list was added. <see cref="FileName"/> names the file, relative to the bundle.
/// </summary>
public sealed class BundleIntegrityException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="bundleFolder">The bundle.</param>
    /// <param name="fileName">The file, relative to the bundle, with '/' separators.</param>
    public BundleIntegrityException(string message, string bundleFolder, string fileName)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(bundleFolder);
        ArgumentNullException.ThrowIfNull(fileName);
        BundleFolder = bundleFolder;
        FileName = fileName;
    }

    /// <summary>The bundle's folder.</summary>
    public string BundleFolder { get; }

    /// <summary>The file that is missing, changed or not listed, relative to <see cref="BundleFolder"/> (<c>model/model.safetensors</c>).</summary>
    public string FileName { get; }
}
