using Soft.Reporting;
using Soft.Samples.Reporting;

namespace Soft.Tests.Reporting;

[Collection(TorchCollection.Name)]
public sealed class ReportArtifactsTests
{
    [Fact]
    public void Writes_plots_markdown_json_and_tensorboard_into_the_run_folder()
    {
        using var temp = new TempFolder();

        var written = ReportArtifacts.Write(temp.Path, ReportSamples.Full());

        written.Select(p => Path.GetRelativePath(temp.Path, p).Split(Path.DirectorySeparatorChar)[0]).Distinct()
            .Should().BeEquivalentTo(["plots", "report.md", "report.json", "tensorboard"]);
        written.Should().OnlyContain(p => File.Exists(p));
        SoftRunReport.Load(temp.Combine("report.json")).Should().Be(ReportSamples.Full());
        File.ReadAllText(temp.Combine("report.md")).Should().Contain("](plots/hit-rate.png)");
    }

    [Fact]
    public void An_incomplete_report_writes_nothing()
    {
        using var temp = new TempFolder();
        var report = ReportSamples.Full() with
        {
            Results = [new MethodResult("SFT", "exact", new Dictionary<string, double> { ["HR@10"] = 0.1 })],
        };

        var act = () => ReportArtifacts.Write(temp.Path, report);

        act.Should().Throw<InvalidOperationException>();
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty();
    }
}
