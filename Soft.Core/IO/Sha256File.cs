using System.Security.Cryptography;

namespace Soft.IO;

/// <summary>
/// SHA-256 of files in one pass over their bytes, cancellable between chunks, so hashing or copying a model of
/// gigabytes stops soon after it is cancelled.
/// </summary>
internal static class Sha256File
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>The SHA-256 of <paramref name="path"/> as lower-case hex.</summary>
    public static string Of(string path, CancellationToken cancellationToken)
    {
        using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        return Hash(source, null, cancellationToken);
    }

    /// <summary>Copies <paramref name="source"/> to a new file <paramref name="destination"/> and returns the SHA-256 of the bytes copied.</summary>
    /// <exception cref="IOException"><paramref name="destination"/> already exists.</exception>
    public static string Copy(string source, string destination, CancellationToken cancellationToken)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, ChunkBytes);
        // The hash is of what was written, not of a second read of the source, which could have changed meanwhile.
        string sha = Hash(input, output, cancellationToken);
        output.Flush(flushToDisk: true);
        return sha;
    }

    private static string Hash(Stream input, Stream? copy, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[ChunkBytes];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            copy?.Write(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
