namespace Soft.Runs;

/// <summary>Another run holds the run folder (see <see cref="RunFolderLock"/>); the message names the folder.</summary>
public sealed class RunFolderInUseException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, naming the folder.</param>
    /// <param name="inner">The operating system's error.</param>
    public RunFolderInUseException(string message, Exception inner) : base(message, inner) { }
}
