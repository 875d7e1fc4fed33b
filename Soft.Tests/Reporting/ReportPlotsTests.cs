using System.Buffers.Binary;
using Soft.Reporting;
using Soft.Samples.Reporting;

namespace Soft.Tests.Reporting;

public sealed class ReportPlotsTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Writes_three_pngs_of_the_requested_size_into_plots()
    {
        using var temp = new TempFolder();

        var written = ReportPlots.WriteAll(temp.Path, ReportSamples.Full(), width: 640, height: 360);

        written.Should().BeEquivalentTo(
            [
                temp.Combine("plots", ReportPlots.TrainingLossFile),
                temp.Combine("plots", ReportPlots.CurriculumFile),
                temp.Combine("plots", ReportPlots.HitRateFile),
            ]);
        foreach (string path in written)
        {
            byte[] png = File.ReadAllBytes(path);
            png.AsSpan(0, 8).ToArray().Should().Equal(PngSignature, $"{path} is a PNG");
            ReadIhdrSize(png).Should().Be((640, 360), $"{path} has the requested size");
        }
        Directory.GetFiles(temp.Combine("plots")).Should().HaveCount(3, "no temporary file is left behind");
    }

    [Fact]
    public void Figures_without_data_are_not_written()
    {
        using var temp = new TempFolder();
        var report = ReportSamples.Full() with { Training = new Dictionary<string, MethodTraining>() };

        var written = ReportPlots.WriteAll(temp.Path, report);

        written.Select(Path.GetFileName).Should().Equal(ReportPlots.HitRateFile);
        ReadIhdrSize(File.ReadAllBytes(written[0])).Should().Be((800, 500));
    }

    [Fact]
    public void Markdown_links_the_written_plots()
    {
        using var temp = new TempFolder();
        ReportPlots.WriteAll(temp.Path, ReportSamples.Full());

        string markdown = File.ReadAllText(ReportMarkdown.Write(temp.Path, ReportSamples.Full()));

        markdown.Should().Contain("![curriculum](plots/curriculum.png)")
            .And.Contain("![hit-rate](plots/hit-rate.png)")
            .And.Contain("![training-loss](plots/training-loss.png)");
    }

    /// <summary>Width and height from the IHDR chunk, which the PNG format requires right after the signature.</summary>
    private static (int Width, int Height) ReadIhdrSize(byte[] png)
    {
        // Chunk layout: 4-byte big-endian length, 4-byte type, data, CRC. IHDR data starts with width and height.
        BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8, 4)).Should().Be(13u, "IHDR holds 13 bytes");
        System.Text.Encoding.ASCII.GetString(png, 12, 4).Should().Be("IHDR");
        int width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4)));
        int height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4)));
        return (width, height);
    }
}
