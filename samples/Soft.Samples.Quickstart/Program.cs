using Soft.Samples.Quickstart;
using Spectre.Console;
using Spectre.Console.Cli;

// dotnet run -c Release --project samples/Soft.Samples.Quickstart -- [--dataset lastfm] [--model DIR] [--preset cpu] [--seed 42] [--out DIR]
// dotnet run -c Release --project samples/Soft.Samples.Quickstart -- export [--out DIR] [--method SOFT] [--bundle DIR]
var app = new CommandApp<QuickstartCommand>();
app.Configure(c =>
{
    c.SetApplicationName("Soft.Samples.Quickstart");
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
        AnsiConsole.MarkupLine(code == ExitCodes.Unexpected ? $"[red]Unexpected error:[/] {Markup.Escape(e.ToString())}" : $"[red]{Markup.Escape(e.Message)}[/]");
        return code;
    });
});
return await app.RunAsync(args);
