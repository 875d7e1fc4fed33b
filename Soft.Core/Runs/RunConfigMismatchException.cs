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
}
