namespace Soft.Runs;

/// <summary>Why a run folder cannot be used (see <see cref="RunFolderUnusableException"/>).</summary>
public enum RunFolderProblem
{
    /// <summary>The path (or a parent of it) is an existing file, not a folder.</summary>
    NotAFolder,

    /// <summary>The operating system refuses access (permissions, or a read-only file system).</summary>
    AccessDenied,

    /// <summary>The disk (or quota) is full.</summary>
    DiskFull,

    /// <summary>Another input/output error; the message carries the operating system's words.</summary>
    Other,
}
