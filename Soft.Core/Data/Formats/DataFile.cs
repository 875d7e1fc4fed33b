using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Finds a data file of a folder under its plain name or compressed beside it (<c>u.data</c>, <c>u.data.gz</c>,
/// <c>u.data.zst</c>), so every reader takes the files as they are published; the reader decompresses as it reads.
/// </summary>
internal static class DataFile
{
    /// <summary>The path of <paramref name="name"/> in <paramref name="folder"/>, plain or compressed; null when neither exists.</summary>
    public static string? Find(string folder, string name)
    {
        string plain = Path.Combine(folder, name);
        if (File.Exists(plain))
            return plain;
        return CompressedInput.Extensions.Select(e => plain + e).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// <see cref="Find"/>, or the plain path when the file is missing, so that opening it reports the name the format
    /// expects.
    /// </summary>
    public static string Resolve(string folder, string name) => Find(folder, name) ?? Path.Combine(folder, name);

    /// <summary>A data file's name without folder, compression and extension: <c>/d/Video_Games.csv.gz</c> → <c>Video_Games</c>.</summary>
    public static string Stem(string path) => Path.GetFileNameWithoutExtension(CompressedInput.PlainName(Path.GetFileName(path)));

    /// <summary>Whether <paramref name="name"/> exists in <paramref name="folder"/>, plain or compressed.</summary>
    public static bool Exists(string folder, string name) => Find(folder, name) is not null;

    /// <summary>
    /// The files of <paramref name="folder"/> whose plain name ends with <paramref name="suffix"/>, each once (a plain
    /// file wins over its compressed copy), as (path, plain name) pairs in ordinal order of the plain name.
    /// </summary>
    public static IEnumerable<(string Path, string PlainName)> WithSuffix(string folder, string suffix) =>
        Directory.EnumerateFiles(folder)
            .Select(p => (Path: p, PlainName: CompressedInput.PlainName(Path.GetFileName(p))))
            .Where(f => f.PlainName.EndsWith(suffix, StringComparison.Ordinal))
            .GroupBy(f => f.PlainName, StringComparer.Ordinal)
            .Select(g => g.OrderBy(f => f.Path.Length).First())
            .OrderBy(f => f.PlainName, StringComparer.Ordinal);
}
