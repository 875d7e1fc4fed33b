using Soft.Data.Formats;
using Soft.Samples.Quickstart;
using Soft.Tests.Data;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace Soft.Tests.Samples;

/// <summary>
/// The quickstart itself, in process, on a folder of each dataset format: it names the format it detected in its
/// first lines and loads the data (<c>--inspect</c> stops before training; the pipeline on a loaded dataset is
/// covered by the end-to-end tests).
/// </summary>
// The command writes to the process-wide AnsiConsole, so these tests must not run beside others that do.
[Collection(TorchCollection.Name)]
public sealed class QuickstartDatasetTests
{
    [Theory]
    [MemberData(nameof(FormatFixtures.All), MemberType = typeof(FormatFixtures))]
    public async Task Dataset_folder_of_each_format_is_detected_and_named_in_the_first_lines(DatasetFormat format)
    {
        using var folder = new Soft.Tests.Data.TempFolder();
        FormatFixtures.Write(format, folder);

        var (code, lines) = await Quickstart("--dataset", folder.Path, "--inspect", "--train-samples", "4", "--test-samples", "2");

        code.Should().Be(0, string.Join('\n', lines));
        lines.Take(3).Should().Contain(l => l.StartsWith($"Dataset format: {DatasetFolder.Info(format).Name} (", StringComparison.Ordinal) && l.Contains("detected", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("items", StringComparison.Ordinal) && l.Contains("14", StringComparison.Ordinal), "the statistics count the fixture's 14 items");
    }

    [Fact]
    public async Task Format_overrides_detection()
    {
        using var folder = new Soft.Tests.Data.TempFolder();
        FormatFixtures.Write(DatasetFormat.MovieLens100K, folder);
        FormatFixtures.Write(DatasetFormat.LastFm, folder);

        var (code, lines) = await Quickstart("--dataset", folder.Path, "--format", "lastfm", "--inspect");

        code.Should().Be(0, string.Join('\n', lines));
        lines.Should().Contain(l => l.StartsWith("Dataset format: lastfm (", StringComparison.Ordinal) && l.Contains("chosen with --format", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_of_no_known_format_gets_one_message_listing_the_formats()
    {
        using var folder = new Soft.Tests.Data.TempFolder();
        folder.Write("notes.txt", "nothing here");

        var (code, lines) = await Quickstart("--dataset", folder.Path, "--inspect");

        code.Should().Be(ExitCodes.Data);
        string text = string.Join('\n', lines);
        text.Should().Contain("matches no dataset format");
        foreach (var format in DatasetFolder.Formats)
            text.Should().Contain(format.Name);
    }

    private static async Task<(int Code, string[] Lines)> Quickstart(params string[] args)
    {
        var saved = AnsiConsole.Console;
        var console = new TestConsole().Width(1000);
        AnsiConsole.Console = console;
        try
        {
            var app = new CommandApp<QuickstartCommand>();
            app.Configure(c => c.ConfigureConsole(console));
            int code = await app.RunAsync(args);
            return (code, console.Output.Split('\n').Select(l => l.TrimEnd()).ToArray());
        }
        finally
        {
            AnsiConsole.Console = saved;
        }
    }
}
