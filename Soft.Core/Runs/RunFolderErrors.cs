namespace Soft.Runs;

/// <summary>
/// Turns the operating system's errors on a run folder into exceptions that say what is wrong: .NET reports a lock
/// held by another process, a full disk and a read-only file system all as a plain <see cref="IOException"/>, told
/// apart only by the error code in <see cref="Exception.HResult"/> (errno on Unix, an HRESULT on Windows).
/// </summary>
internal static class RunFolderErrors
{
    // EWOULDBLOCK (Linux 11, macOS 35) from flock; Windows ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    private static readonly int[] LockHeld = [11, 35, unchecked((int)0x80070020), unchecked((int)0x80070021)];

    // ENOSPC, EDQUOT (Linux 122, macOS 69); Windows ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL.
    private static readonly int[] Full = [28, 122, 69, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    // EROFS (30); Windows ERROR_WRITE_PROTECT.
    private static readonly int[] ReadOnly = [30, unchecked((int)0x80070013)];

    /// <summary>True when <paramref name="error"/> means another process holds the lock file.</summary>
    public static bool IsLockHeld(IOException error) => LockHeld.Contains(error.HResult);

    /// <summary>
    /// Refuses <paramref name="root"/> when it, or a folder above it, is a file: creating it would fail with
    /// "The file '…' already exists", which names neither the option nor the problem.
    /// </summary>
    public static void ThrowIfNotAFolder(string root)
    {
        for (string? path = Path.GetFullPath(root); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                string which = path == Path.GetFullPath(root) ? "is a file" : $"is inside {path}, which is a file";
                throw new RunFolderUnusableException($"The run folder {Path.GetFullPath(root)} {which}, not a folder; give a folder path (it is created if missing).", RunFolderProblem.NotAFolder);
            }
            if (Directory.Exists(path))
                return;
        }
    }

    /// <summary>The specific exception for an error met while using <paramref name="root"/>, or null when it is none of the run folder's.</summary>
    public static RunFolderUnusableException? Translate(Exception error, string root)
    {
        string where = Path.GetFullPath(root);
        return error switch
        {
            UnauthorizedAccessException => new(
                $"The run folder {where} cannot be written: permission denied ({error.Message}). Make it writable or use another folder.", RunFolderProblem.AccessDenied, error),
            IOException io when ReadOnly.Contains(io.HResult) => new(
                $"The run folder {where} is on a read-only file system ({error.Message}). Use a folder on a writable disk.", RunFolderProblem.AccessDenied, error),
            IOException io when Full.Contains(io.HResult) => new(
                $"The disk holding the run folder {where} is full ({error.Message}). Free space or use another disk; finished stages and epochs are kept.", RunFolderProblem.DiskFull, error),
            _ => null,
        };
    }
}
