namespace Soft.Runs;

/// <summary>
/// A run folder cannot be created, locked or written for a reason other than another run holding it
/// (<see cref="RunFolderInUseException"/>): <see cref="Problem"/> says which, the message names the path and the fix.
/// </summary>
public sealed class RunFolderUnusableException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, naming the path.</param>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="inner">The operating system's error, if any.</param>
    public RunFolderUnusableException(string message, RunFolderProblem problem, Exception? inner = null) : base(message, inner) => Problem = problem;

    /// <summary>The kind of problem.</summary>
    public RunFolderProblem Problem { get; }
}
