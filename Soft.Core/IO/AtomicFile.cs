namespace Soft.IO;

/// <summary>
/// Writes files so that a reader, or a run resumed after a crash, sees either the old content or the whole
/// new content, never a prefix: the data goes to a temporary file in the same folder, is flushed to disk,
/// and is then renamed over the target (a rename within one file system is atomic). A replaced file keeps
/// its permissions.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> by letting <paramref name="write"/> fill a temporary stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            // Replacing a file keeps its permissions, as an in-place edit would.
            if (!OperatingSystem.IsWindows() && File.Exists(full))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> (no byte-order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// A unique temporary name beside <paramref name="path"/>; the <c>.tmp</c> suffix lets a cleanup pass
    /// recognise leftovers of a killed process.
    /// </summary>
    public static string TempPathFor(string path) => $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
}
