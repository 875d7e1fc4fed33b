using System.IO.Compression;
using System.Security.Cryptography;

namespace Soft.Data;

/// <summary>
/// Downloads a MovieLens zip from GroupLens into a cache folder, checks its SHA-256 and unpacks it. MovieLens may
/// not be redistributed, so Soft fetches it for the user instead of shipping it. Every file is written under a
/// temporary name and renamed when complete, so an interrupted download never leaves a file that looks finished.
/// </summary>
public sealed class MovieLensDownloader
{
    private const string DoneMarker = ".soft-sha256";

    private readonly HttpClient _http;

    /// <summary>Creates a downloader.</summary>
    /// <param name="http">The HTTP client to download with (the caller owns it).</param>
    /// <param name="cacheDirectory">The folder that receives the zip and the unpacked folder.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> or <paramref name="cacheDirectory"/> is <see langword="null"/>.</exception>
    public MovieLensDownloader(HttpClient http, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        _http = http;
        CacheDirectory = cacheDirectory;
    }

    /// <summary>The GroupLens download folder.</summary>
    public static Uri GroupLens { get; } = new("https://files.grouplens.org/datasets/movielens/");

    /// <summary>The folder that receives the zip and the unpacked folder.</summary>
    public string CacheDirectory { get; }

    /// <summary>Where archives are downloaded from. Default <see cref="GroupLens"/>.</summary>
    public Uri BaseAddress { get; init; } = GroupLens;

    /// <summary>
    /// Returns the unpacked folder of an archive, downloading, verifying and unpacking it first unless the cache
    /// already holds it (a finished folder carries a marker with the checksum it was unpacked from).
    /// </summary>
    /// <param name="archive">Which archive, e.g. <see cref="MovieLensArchive.Ml100K"/>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The path of the unpacked folder (e.g. <c>cache/ml-100k</c>), ready for <see cref="Formats.MovieLensReader.Read"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="archive"/> is <see langword="null"/>.</exception>
    /// <exception cref="HttpRequestException">The server did not answer with success.</exception>
    /// <exception cref="InvalidDataException">The download's SHA-256 differs from the archive's, or the zip is unsafe to unpack.</exception>
    public async Task<string> DownloadAsync(MovieLensArchive archive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        string folder = Path.Combine(CacheDirectory, archive.FolderName);
        string marker = Path.Combine(folder, DoneMarker);
        if (File.Exists(marker) && string.Equals((await File.ReadAllTextAsync(marker, cancellationToken).ConfigureAwait(false)).Trim(), archive.Sha256, StringComparison.OrdinalIgnoreCase))
            return folder;

        Directory.CreateDirectory(CacheDirectory);
        string zipPath = Path.Combine(CacheDirectory, archive.FileName);
        if (!File.Exists(zipPath) || !string.Equals(await HashFileAsync(zipPath, cancellationToken).ConfigureAwait(false), archive.Sha256, StringComparison.OrdinalIgnoreCase))
            await DownloadVerifiedAsync(archive, zipPath, cancellationToken).ConfigureAwait(false);

        Unpack(zipPath, archive, folder);
        return folder;
    }

    private async Task DownloadVerifiedAsync(MovieLensArchive archive, string zipPath, CancellationToken cancellationToken)
    {
        string partial = $"{zipPath}.{Guid.NewGuid():N}.partial";
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseAddress, archive.FileName), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    byte[] buffer = new byte[81920];
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, archive.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{archive.FileName} from {BaseAddress} has SHA-256 {actual}, expected {archive.Sha256}; the download was discarded.");
            File.Move(partial, zipPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
                File.Delete(partial);
        }
    }

    private static void Unpack(string zipPath, MovieLensArchive archive, string folder)
    {
        string staging = Path.Combine(Path.GetDirectoryName(folder)!, $".{archive.FolderName}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(staging);
            string root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
            using (var zip = ZipFile.OpenRead(zipPath))
            {
                foreach (var entry in zip.Entries)
                {
                    string target = Path.GetFullPath(Path.Combine(staging, entry.FullName));
                    // A crafted entry name ("../x") must not write outside the cache.
                    if (!target.StartsWith(root, StringComparison.Ordinal))
                        throw new InvalidDataException($"{zipPath} holds an entry outside its folder: {entry.FullName}");
                    if (entry.FullName.EndsWith('/'))
                    {
                        Directory.CreateDirectory(target);
                        continue;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: true);
                }
            }
            string unpacked = Path.Combine(staging, archive.FolderName);
            if (!Directory.Exists(unpacked))
                throw new InvalidDataException($"{zipPath} has no top folder '{archive.FolderName}'.");
            File.WriteAllText(Path.Combine(unpacked, DoneMarker), archive.Sha256);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            Directory.Move(unpacked, folder);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
