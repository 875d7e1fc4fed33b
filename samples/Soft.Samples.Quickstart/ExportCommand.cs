using Soft.Serving;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>Writes a self-contained bundle of one method of a finished run (<see cref="SoftRecommender.Export"/>).</summary>
internal sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        BundleManifest manifest;
        try
        {
            manifest = SoftRecommender.Export(settings.Out, settings.Method, settings.BundleFolder, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/] No bundle was written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (ExitCodes.ForExport(e) != ExitCodes.Unexpected)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(CliWords.Translate(e.Message))}[/]");
            return ExitCodes.ForExport(e);
        }

        string bundle = Path.GetFullPath(settings.BundleFolder);
        long bytes = manifest.Files.Keys.Sum(f => new FileInfo(Path.Combine(bundle, f)).Length);
        string weights = manifest.Adapter ? "base model + PEFT adapter" : "full weights";
        AnsiConsole.MarkupLine($"Exported [green]{Markup.Escape(manifest.Method)}[/] from [blue]{Markup.Escape(Path.GetFullPath(settings.Out))}[/]");
        AnsiConsole.MarkupLine($"Bundle: [blue]{Markup.Escape(bundle)}[/] ({manifest.Files.Count + 1} files, {bytes / (1024.0 * 1024.0):F1} MiB, {weights}, checksums in {BundleManifest.FileName})");
        AnsiConsole.MarkupLine($"Serve it: [bold]dotnet run -c Release --project samples/Soft.Samples.Api -- --bundle {Markup.Escape(settings.BundleFolder)}[/]");
        return ExitCodes.Ok;
    }
}
