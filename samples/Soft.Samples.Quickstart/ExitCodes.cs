using Microsoft.Extensions.Options;
using Soft.Data;
using Soft.Models;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Runtime;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>
/// The quickstart's exit codes, one per class of failure, so scripts can tell a typo from bad data (README, "Exit
/// codes"): 0 ok, 1 unexpected, 2 usage, 3 data, 4 model, 5 run folder, 130 cancelled.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int Data = 3;
    public const int Model = 4;
    public const int RunFolder = 5;
    public const int Cancelled = 130;

    /// <summary>The class of <paramref name="error"/>; <paramref name="modelFolder"/> tells a missing model file from a missing data file.</summary>
    public static int For(Exception error, string? modelFolder = null) => error switch
    {
        OperationCanceledException => Cancelled,
        CommandAppException or OptionsValidationException or ArgumentException => Usage,
        RunFolderInUseException or RunFolderUnusableException or RunConfigMismatchException => RunFolder,
        DatasetFormatException or ContextLengthExceededException => Data,
        FileNotFoundException or DirectoryNotFoundException when !Within(error, modelFolder) => Data,
        TokenIdOutOfRangeException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or SoftNativeLibraryException => Model,
        // A full disk while writing an artifact is a run-folder problem wherever it happens.
        IOException io when io.HResult is 28 or 122 => RunFolder,
        _ => Unexpected,
    };

    /// <summary>
    /// The class of a failed <c>export</c>: a wrong option is usage; a run folder that is not a finished run, changed
    /// since its stages finished, or a bundle folder that is not empty is a run-folder problem.
    /// </summary>
    public static int ForExport(Exception error) => error switch
    {
        OperationCanceledException => Cancelled,
        ArgumentException => Usage,
        InvalidOperationException or InvalidDataException or IOException => RunFolder,
        _ => Unexpected,
    };

    private static bool Within(Exception error, string? folder)
    {
        if (folder is null)
            return false;
        string? path = (error as FileNotFoundException)?.FileName ?? error.Message;
        return path.Contains(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
            || path.Contains(folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
    }
}
