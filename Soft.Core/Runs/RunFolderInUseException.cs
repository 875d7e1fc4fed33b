namespace Soft.Runs;

/// <summary>
/// Another run, in this process or another, holds the run folder (an exclusive handle on a lock file in it, which the
/// operating system drops when the holder exits); the message names the folder.
/// </summary>
public sealed class RunFolderInUseException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, naming the folder.</param>
    /// <param name="inner">The operating system's error.</param>
    public RunFolderInUseException(string message, Exception inner) : base(message, inner) { }
}
