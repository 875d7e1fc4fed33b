namespace Soft.Runs;

/// <summary>Thrown when a run folder holds a run with a different configuration than the one asked for.</summary>
public sealed class RunConfigMismatchException : Exception
{
    /// <summary>Creates the exception with an explanatory message.</summary>
    public RunConfigMismatchException(string message) : base(message) { }

    /// <summary>Creates the exception with an explanatory message and a cause.</summary>
    public RunConfigMismatchException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public RunConfigMismatchException() : base("The run folder belongs to a run with a different configuration.") { }

    /// <summary>Creates the exception for a folder whose finished stages belong to another configuration.</summary>
    /// <param name="message">The message.</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="finishedStages">How many stages the folder's run finished.</param>
    /// <param name="differences">The settings that differ (from the folder's <c>config.json</c>); empty when it could not be read.</param>
    public RunConfigMismatchException(string message, string folder, int finishedStages, IReadOnlyList<RunConfigDifference> differences) : base(message)
    {
        Folder = folder;
        FinishedStages = finishedStages;
        Differences = differences;
    }

    /// <summary>The run folder, when the exception is about one.</summary>
    public string? Folder { get; }

    /// <summary>How many stages the folder's run finished (what a fresh run would discard).</summary>
    public int FinishedStages { get; }

    /// <summary>The settings that differ, leaf by leaf; empty when they are not known (the old <c>config.json</c> is missing or not JSON, or the layout differs).</summary>
    public IReadOnlyList<RunConfigDifference> Differences { get; } = [];
}
