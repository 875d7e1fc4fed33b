namespace Soft.Runs;

/// <summary>
/// Keeps a second process (or a second run in this one) out of a run folder while a run uses it: two writers would
/// interleave epochs, manifests and reports. The lock is an exclusive handle on <see cref="FileName"/>; the operating
/// system drops it when the holder exits, however it exits, so a killed run never leaves the folder locked.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file in the run folder.</summary>
    public const string FileName = "run.lock";

    private readonly FileStream _handle;

    private RunFolderLock(FileStream handle) => _handle = handle;

    /// <summary>Takes the lock of <paramref name="root"/>, creating the folder if needed.</summary>
    /// <param name="root">The run folder.</param>
    /// <returns>The lock; dispose it when the run ends.</returns>
    /// <exception cref="RunFolderInUseException">Another run holds the folder; the message names it.</exception>
    /// <exception cref="RunFolderUnusableException">The folder is a file, cannot be created or written, or the disk is full; <see cref="RunFolderUnusableException.Problem"/> says which.</exception>
    public static RunFolderLock Acquire(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        RunFolderErrors.ThrowIfNotAFolder(root);
        string path = Path.Combine(root, FileName);
        try
        {
            Directory.CreateDirectory(root);
            // FileShare.None is an exclusive flock on Unix and a share-mode lock on Windows.
            return new RunFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (RunFolderErrors.IsLockHeld(e))
        {
            throw new RunFolderInUseException($"The run folder {Path.GetFullPath(root)} is in use by another run (it holds {FileName}); wait for it to finish or use another folder.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RunFolderErrors.Translate(e, root)
                ?? new RunFolderUnusableException($"The run folder {Path.GetFullPath(root)} cannot be used: {e.Message}", RunFolderProblem.Other, e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
