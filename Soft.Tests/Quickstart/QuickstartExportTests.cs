using Soft.Data;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Samples.Quickstart;
using Soft.Serving;
using Spectre.Console.Cli;

namespace Soft.Tests.Quickstart;

/// <summary>
/// The quickstart's <c>export</c> verb on a run folder that serves tiny-random-gpt2 untuned (its SFT and SOFT stages
/// never ran): the verb's parsing and exit codes; what a bundle holds is tested in Soft.Tests/Serving.
/// </summary>
public sealed class QuickstartExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public QuickstartExportTests()
    {
        UntrainedRunFolder.Write(_folder.Combine("run"));
    }

    [Fact]
    public void Export_writes_a_bundle_and_each_failure_has_its_exit_code()
    {
        string run = _folder.Combine("run");
        string bundle = _folder.Combine("bundle");

        Run("export", "--out", run, "--method", ReportMethodNames.GuidanceOnly, "--bundle", bundle).Should().Be(ExitCodes.Ok);
        var manifest = BundleManifest.Verify(bundle);
        manifest.Method.Should().Be(ReportMethodNames.GuidanceOnly);
        manifest.Files.Keys.Should().Contain(["model/model.safetensors", "model/vocab.json", "model/merges.txt", "catalog.jsonl", "serving.json"])
            .And.NotContain(["model/SOURCE.txt", "model/LICENSE-Apache-2.0.txt"], "a bundle holds what the loader reads, nothing else");

        Run("export", "--out", run, "--method", ReportMethodNames.GuidanceOnly, "--bundle", bundle).Should().Be(ExitCodes.RunFolder, "the bundle folder is not empty");
        Run("export", "--out", run, "--method", "BIGRec", "--bundle", _folder.Combine("b2")).Should().Be(ExitCodes.Usage);
        Run("export", "--out", run, "--bundle", _folder.Combine("b3")).Should().Be(ExitCodes.RunFolder, "SOFT, the default, has not finished training");
        Run("export", "--out", _folder.Combine("nowhere")).Should().Be(ExitCodes.RunFolder);
        Run("export", "--out", run, "--methd", "SOFT").Should().Be(ExitCodes.Usage, "a misspelt option is refused");
        Directory.Exists(_folder.Combine("b2")).Should().BeFalse();
        Directory.Exists(_folder.Combine("b3")).Should().BeFalse();

        // Without --bundle, the bundle goes beside the run folder.
        Run("export", "--out", run, "--method", ReportMethodNames.GuidanceOnly).Should().Be(ExitCodes.Ok);
        BundleManifest.IsBundle(run + "-bundle").Should().BeTrue();
    }

    public void Dispose() => _folder.Dispose();

    // Configured as Program.cs configures it.
    private static int Run(params string[] args)
    {
        var app = new CommandApp<QuickstartCommand>();
        app.Configure(c =>
        {
            c.UseStrictParsing();
            c.AddCommand<ExportCommand>("export");
            c.SetExceptionHandler((e, _) => ExitCodes.For(e));
        });
        return app.Run(args);
    }
}
