namespace Soft.IO;

/// <summary>
/// Builds a folder of files beside its final place and moves it there only when every file is written, so a build
/// that fails or is killed never leaves a half-built folder where a finished one is expected.
/// </summary>
internal static class StagedFolder
{
    /// <summary>Suffix of the folder a build writes into before it is moved into place.</summary>
    public const string Suffix = ".partial";

    /// <summary>
    /// Runs <paramref name="build"/> on an empty sibling folder (<paramref name="folder"/> + <see cref="Suffix"/>) and
    /// then replaces <paramref name="folder"/> with it; when <paramref name="build"/> throws, the sibling is deleted
    /// and <paramref name="folder"/> is left as it was.
    /// </summary>
    /// <param name="folder">The final folder.</param>
    /// <param name="build">Writes the files into the folder it is given.</param>
    public static void Build(string folder, Action<string> build)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(build);
        string staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Suffix;
        // Left by a killed process: never a finished build.
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            build(staging);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }
}
