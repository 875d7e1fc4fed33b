using System.IO.Compression;
using Soft.Data;
using Soft.Data.Formats;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Runs;
using Soft.Samples.Quickstart;
using Soft.Serving;
using Soft.Tests.Data;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Soft.Tests.Quickstart;

/// <summary>
/// Issue #21 through the quickstart's own command line (<see cref="QuickstartApp"/>): messages in flags, not in the
/// library's parameter or property names, and <c>--inspect</c> on a messy folder saying what was read and dropped.
/// </summary>
// The commands write to the process-wide AnsiConsole, so these tests must not run beside others that do.
[Collection(TorchCollection.Name)]
public sealed class QuickstartMessyInputTests : IDisposable
{
    private readonly Soft.Tests.Data.TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_option_given_without_its_value_is_named_without_the_parsers_placeholder()
    {
        var (code, text) = await Quickstart("--train-samples");
        var (codeBefore, textBefore) = await Quickstart("--train-samples", "--inspect");

        code.Should().Be(ExitCodes.Usage);
        text.Should().Contain("--train-samples needs a value").And.NotContain("__default_command");
        codeBefore.Should().Be(ExitCodes.Usage);
        textBefore.Should().Contain("--train-samples needs a value").And.NotContain("__default_command");
    }

    [Fact]
    public async Task An_empty_dataset_is_named_by_its_flag()
    {
        var (code, text) = await Quickstart("--dataset", "", "--inspect");

        code.Should().Be(ExitCodes.Usage);
        text.Should().Contain("--dataset is empty").And.NotContain("Parameter").And.NotContain("'folder'");
    }

    [Fact]
    public async Task Export_from_a_run_cut_off_before_soft_advises_the_flag_not_the_property()
    {
        string run = _temp.File("run");
        UntrainedRunFolder.Write(run);

        var (code, text) = await Quickstart("export", "--out", run, "--bundle", _temp.File("bundle"));

        code.Should().Be(ExitCodes.RunFolder);
        text.Should().Contain("not trained yet").And.Contain("--method").And.NotContain("RecommenderOptions");
    }

    [Fact]
    public async Task Inspect_on_a_messy_amazon_folder_says_what_was_read_and_dropped_in_one_screen()
    {
        MessyAmazon();

        var (code, text) = await Quickstart("--dataset", _temp.Path, "--inspect");

        code.Should().Be(ExitCodes.Ok, text);
        text.Should().Contain("read: Video_Games.csv.gz (gzip").And.Contain("meta_Video_Games.jsonl.gz (gzip")
            .And.Contain("dropped: no title: 1 item dropped with their 1 interaction (first: item 'B015', meta_Video_Games.jsonl.gz line 15)")
            .And.Contain("dropped: unknown item: 1 interaction dropped").And.Contain("item 'B099'")
            .And.Contain("dropped: duplicate: 1 interaction dropped");
        text.Split('\n').Length.Should().BeLessThan(30, "a screen");
    }

    [Fact]
    public async Task Strict_refuses_a_messy_folder_at_its_first_drop()
    {
        MessyAmazon();

        var (code, text) = await Quickstart("--dataset", _temp.Path, "--inspect", "--strict");

        code.Should().Be(ExitCodes.Data);
        text.Should().Contain("meta_Video_Games.jsonl.gz, line 15").And.Contain("no title").And.Contain("strict");
    }

    [Fact]
    public void A_refused_run_folder_names_each_changed_setting_by_its_flag_or_in_words()
    {
        string hash = new('a', 64), other = new('b', 64);
        var refused = new RunConfigMismatchException("library words", "/runs/q", 3,
        [
            new("dataset.titles", $"\"{hash}\"", $"\"{other}\""),
            new("baseModelSettings.hidden_size", "64", "128"),
            new("baseModel", "\"scratch\"", "\"/models/qwen\""),
            new("options.Sft.Epochs", "3", "4"),
        ]);

        string message = CliRunMismatch.Message(refused);

        message.Should().Be("--out /runs/q holds a run with other settings: the item titles in the dataset files changed; --model (baseModelSettings.hidden_size: 64 → 128); " +
            "options.Sft.Epochs in config.json 3 → 4. Rerun with --fresh to discard its 3 finished stages and start over, or give another --out.");
    }

    // Amazon 2023 as shipped (gzip), with an untitled item, a review of an item the metadata lacks and a repeated row.
    private void MessyAmazon()
    {
        FormatFixtures.Write(DatasetFormat.AmazonReviews2023, _temp);
        string ratings = _temp.File("Video_Games.csv"), meta = _temp.File("meta_Video_Games.jsonl");
        string first = File.ReadLines(ratings).Skip(1).First();
        File.AppendAllText(ratings, $"U1,B099,5.0,1000000100000\n{first}\nU2,B015,4.0,1000000200000\n");
        File.AppendAllText(meta, "{\"parent_asin\": \"B015\", \"title\": null}\n");
        foreach (string file in new[] { ratings, meta })
        {
            using (var source = File.OpenRead(file))
            using (var target = new GZipStream(File.Create(file + ".gz"), CompressionLevel.Fastest))
                source.CopyTo(target);
            File.Delete(file);
        }
    }

    private static async Task<(int Code, string Text)> Quickstart(params string[] args)
    {
        var saved = AnsiConsole.Console;
        var console = new TestConsole().Width(1000);
        AnsiConsole.Console = console;
        try
        {
            int code = await QuickstartApp.RunAsync(args, console);
            return (code, console.Output);
        }
        finally
        {
            AnsiConsole.Console = saved;
        }
    }
}
