using Spectre.Console;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>The quickstart's command line, configured once for Program.cs and the tests.</summary>
internal static class QuickstartApp
{
    /// <summary>Runs the quickstart with <paramref name="args"/>, writing to <paramref name="console"/> (the process console when null).</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole? console = null)
    {
        var output = console ?? AnsiConsole.Console;
        // Checked before Spectre parses: it would hand the option its internal placeholder as the value.
        if (CliArguments.MissingValue(args, typeof(QuickstartSettings), typeof(ExportSettings)) is { } missing)
        {
            output.MarkupLine($"[red]{Markup.Escape(missing)}[/]");
            return Task.FromResult(ExitCodes.Usage);
        }
        var app = new CommandApp<QuickstartCommand>();
        app.Configure(c =>
        {
            c.SetApplicationName("Soft.Samples.Quickstart");
            if (console is not null)
                c.ConfigureConsole(console);
            // An unknown or misspelt option is an error, not silently ignored.
            c.UseStrictParsing();
            c.AddCommand<ExportCommand>("export")
                .WithDescription("Write a self-contained bundle of one method of a finished run (model, catalogue, template, checksums) for Soft.Samples.Api or SoftRecommender.Load.")
                .WithExample("export", "--out", "runs/quickstart", "--method", "SOFT", "--bundle", "runs/quickstart-bundle");
            // Spectre's own errors (an unknown option, a failed Validate) are usage errors; anything else escaping the
            // command is unexpected. README "Exit codes" lists them.
            c.SetExceptionHandler((e, _) =>
            {
                int code = ExitCodes.For(e);
                output.MarkupLine(code == ExitCodes.Unexpected ? $"[red]Unexpected error:[/] {Markup.Escape(e.ToString())}" : $"[red]{Markup.Escape(CliWords.Translate(e.Message))}[/]");
                return code;
            });
        });
        return app.RunAsync(args);
    }
}
