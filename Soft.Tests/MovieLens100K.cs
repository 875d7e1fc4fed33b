namespace Soft.Tests;

/// <summary>
/// Finds MovieLens 100K, which GroupLens's terms forbid redistributing, so the repository cannot carry it. Tests
/// that need it call <see cref="RequireFolder"/> from a <c>[SkippableFact]</c>: without the data they are reported
/// as skipped with <see cref="MissingReason"/>, never passed and never failed.
/// </summary>
internal static class MovieLens100K
{
    /// <summary>Environment variable that names an unzipped <c>ml-100k</c> folder (with <c>u.data</c> and <c>u.item</c>).</summary>
    public const string Variable = "SOFT_ML100K";

    private static readonly Lazy<string?> FolderPath = new(Find);

    /// <summary>The folder, or null when neither <see cref="Variable"/> nor <c>shared/datasets/ml-100k</c> above the tests holds it.</summary>
    public static string? Folder => FolderPath.Value;

    /// <summary>Why the MovieLens tests are skipped, naming both places that were looked at.</summary>
    public static string MissingReason =>
        $"MovieLens 100K not found: set {Variable} to an unzipped ml-100k folder, or put it at ../shared/datasets/ml-100k " +
        "beside the repository (GroupLens forbids redistribution, so the repository does not ship it; download ml-100k.zip from " +
        "https://grouplens.org/datasets/movielens/100k/).";

    /// <summary>The folder; skips the calling test when it is missing.</summary>
    public static string RequireFolder()
    {
        Skip.If(Folder is null, MissingReason);
        return Folder!;
    }

    /// <summary>A file of the folder; skips the calling test when the folder is missing.</summary>
    public static string RequireFile(string name) => Path.Combine(RequireFolder(), name);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            // A named folder that does not hold the data is a mistake to report, not a reason to skip.
            return File.Exists(Path.Combine(named, "u.data"))
                ? Path.GetFullPath(named)
                : throw new DirectoryNotFoundException($"{Variable}={named}, but {Path.Combine(named, "u.data")} does not exist.");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "datasets", "ml-100k");
            if (File.Exists(Path.Combine(candidate, "u.data")))
                return candidate;
        }
        return null;
    }
}
