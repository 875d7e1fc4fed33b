using Soft.Data;
using Soft.Pipeline;
using Soft.Runs;
using Soft.Samples.Quickstart;
using Spectre.Console.Cli;

namespace Soft.Tests.Quickstart;

/// <summary>Issue #12: the quickstart names a bad number's range, warns about clamped counts, and exits by class of failure.</summary>
public sealed class QuickstartCliTests
{
    [Theory]
    [InlineData("--train-samples", "99999999999", "--train-samples: 99999999999 is above 2147483647.")]
    [InlineData("--train-samples", "0", "--train-samples: 0 is below 1.")]
    [InlineData("--test-samples", "-3", "--test-samples: -3 is below 1.")]
    [InlineData("--test-samples", "12x", "--test-samples: '12x' is not a whole number.")]
    [InlineData("--threads", "4096", "--threads: 4096 is above 1024.")]
    [InlineData("--seed", "99999999999999999999", "--seed: 99999999999999999999 is above 9223372036854775807.")]
    public void A_bad_number_is_a_usage_error_that_names_the_option_and_its_range(string option, string value, string message)
    {
        // Configured as Program.cs configures it; the value is refused before anything is loaded.
        var app = new CommandApp<QuickstartCommand>();
        app.Configure(c =>
        {
            c.UseStrictParsing();
            c.SetExceptionHandler((e, _) => ExitCodes.For(e));
        });

        app.Run([option, value]).Should().Be(ExitCodes.Usage);
        new QuickstartSettings { TrainSamplesText = option == "--train-samples" ? value : null, TestSamplesText = option == "--test-samples" ? value : null, ThreadsText = option == "--threads" ? value : null, SeedText = option == "--seed" ? value : null }
            .Validate().Message.Should().Be(message);
    }

    [Fact]
    public void Titles_and_item_tokens_together_are_a_usage_error()
    {
        new QuickstartSettings { Titles = true, ItemTokens = true }.Validate().Message
            .Should().Be("--titles and --item-tokens exclude each other: items are written either as titles or as item tokens.");
        new QuickstartSettings { ItemTokens = true }.Validate().Successful.Should().BeTrue();
    }

    [Fact]
    public void A_count_above_the_data_is_clamped_with_a_warning_line()
    {
        var dataset = EmbeddedDatasets.LastFm(new DatasetOptions { TrainSubset = null, TestSubset = null });

        var warnings = QuickstartCommand.Warnings(dataset, new QuickstartSettings { TrainSamplesText = "2000000000", TestSamplesText = "5" });

        warnings.Should().ContainSingle().Which.Should().Be($"--train-samples 2000000000 is more than the {dataset.Train.Count} training samples; all {dataset.Train.Count} are used.");
    }

    public static TheoryData<Exception, int> Failures => new()
    {
        { new OperationCanceledException(), ExitCodes.Cancelled },
        { new DatasetFormatException("bad", "u.data", 3), ExitCodes.Data },
        { new ContextLengthExceededException("too long"), ExitCodes.Data },
        { new FileNotFoundException("no u.data", "/data/u.data"), ExitCodes.Data },
        { new InvalidDataException("model.safetensors: truncated"), ExitCodes.Model },
        { new Soft.Models.TokenIdOutOfRangeException("id 9", 9, 3), ExitCodes.Model },
        { new RunFolderInUseException("in use", new IOException()), ExitCodes.RunFolder },
        { new RunFolderUnusableException("full", RunFolderProblem.DiskFull), ExitCodes.RunFolder },
        { new RunConfigMismatchException("other config"), ExitCodes.RunFolder },
        { new NullReferenceException(), ExitCodes.Unexpected },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_class_of_failure_has_its_exit_code(Exception failure, int code) => ExitCodes.For(failure).Should().Be(code);

    [Fact]
    public void A_missing_file_inside_the_model_folder_is_a_model_error()
    {
        var missing = new FileNotFoundException("No config.json", "/models/mine/config.json");

        ExitCodes.For(missing, "/models/mine").Should().Be(ExitCodes.Model);
        ExitCodes.For(missing, "/models/other").Should().Be(ExitCodes.Data);
    }
}
