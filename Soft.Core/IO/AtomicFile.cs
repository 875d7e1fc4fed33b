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
        WriteFile(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            write(stream);
        });
    }

    /// <summary>
    /// Writes <paramref name="path"/> by letting <paramref name="write"/> create a temporary file at the path it is
    /// given (for writers that take a path, such as a safetensors writer or <see cref="File.Copy(string, string)"/>),
    /// then flushes it to disk and renames it over <paramref name="path"/>: a crash never leaves a half-written file
    /// under the real name.
    /// </summary>
    public static void WriteFile(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        string temp = TempPathFor(full);
        try
        {
            write(temp);
            using (var written = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                written.Flush(flushToDisk: true);
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
