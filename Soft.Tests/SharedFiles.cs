namespace Soft.Tests;

/// <summary>
/// Locates the read-only <c>shared/</c> folder (real datasets and checkpoints) that sits beside the
/// repository root, both in a developer checkout and in CI's fresh clone.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>Absolute path of <c>shared/</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Absolute path of a file or folder under <c>shared/</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (File.Exists(System.IO.Path.Combine(candidate, "SOFT-REFERENCE.md")))
                return candidate;
        }
        throw new DirectoryNotFoundException($"No shared/ folder with SOFT-REFERENCE.md above {AppContext.BaseDirectory}.");
    }
}
