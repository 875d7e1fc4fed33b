namespace Soft.Data;

/// <summary>A MovieLens zip published by GroupLens, with the checksum a download must match.</summary>
/// <param name="FileName">The zip's file name at the download address (<c>ml-100k.zip</c>).</param>
/// <param name="FolderName">The top folder inside the zip (<c>ml-100k</c>).</param>
/// <param name="Sha256">The zip's SHA-256, lower-case hex.</param>
public sealed record MovieLensArchive(string FileName, string FolderName, string Sha256)
{
    // Checksums as recorded for the GroupLens files by TensorFlow Datasets (url_checksums/movielens.txt).

    /// <summary>MovieLens 100K (4,924,029 bytes).</summary>
    public static MovieLensArchive Ml100K { get; } = new("ml-100k.zip", "ml-100k", "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229");

    /// <summary>MovieLens 1M (5,917,549 bytes).</summary>
    public static MovieLensArchive Ml1M { get; } = new("ml-1m.zip", "ml-1m", "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20");

    /// <summary>MovieLens latest-small (978,202 bytes; GroupLens updates "latest" releases, so this checksum can go stale).</summary>
    public static MovieLensArchive LatestSmall { get; } = new("ml-latest-small.zip", "ml-latest-small", "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436");
}
