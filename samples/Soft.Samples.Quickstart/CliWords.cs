namespace Soft.Samples.Quickstart;

/// <summary>
/// Rewrites the library's names in a message for the command line: an error from Soft.Core names the parameter or
/// property a C# caller set (forceFresh, RecommenderOptions.Method), but the quickstart's user typed a flag.
/// </summary>
internal static class CliWords
{
    private static readonly (string Library, string Cli)[] Phrases =
    [
        ("force a fresh run (forceFresh)", "rerun with --fresh"),
        ("force a fresh run", "rerun with --fresh"),
        ("choose another RecommenderOptions.Method", "choose another --method"),
        ("(RecommenderOptions.Method)", "(--method)"),
        ("or leave Method null", "or leave out --method"),
    ];

    /// <summary><paramref name="message"/> with each library phrase replaced by its command-line words.</summary>
    public static string Translate(string message)
    {
        foreach (var (library, cli) in Phrases)
            message = message.Replace(library, cli, StringComparison.Ordinal);
        return message;
    }
}
