using System.Buffers.Binary;
using Soft.Reporting;

namespace Soft.Tests.Reporting;

[Collection(TorchCollection.Name)]
public sealed class TensorBoardLoggerTests
{
    [Fact]
    public void Event_files_are_valid_tfrecords_holding_every_scalar()
    {
        using var temp = new TempFolder();
        string logDir = temp.Combine(TensorBoardLogger.FolderName);

        var files = TensorBoardLogger.Write(logDir, ReportSamples.Full());

        files.Select(f => Path.GetFileName(Path.GetDirectoryName(f))).Should().Equal("SFT", "SOFT");
        var soft = ReadScalars(files[1]);
        soft.Should().Contain(("curriculum/distance", 0, 2.0f), "d_0 is SOFT's distance at step 0")
            .And.Contain(("loss/train", 1, 1.6f))
            .And.Contain(("loss/real", 2, 3.0f))
            .And.Contain(("loss/distilled", 2, 1.5f))
            .And.Contain(("curriculum/lambda", 2, 0.7788f))
            .And.Contain(("curriculum/distance", 1, 1.5f))
            .And.Contain(("validation/HR@10", 2, 0.09f))
            .And.Contain(("validation/NDCG@10", 1, 0.025f));
        var sft = ReadScalars(files[0]);
        sft.Select(s => s.Tag).Should().NotContain(["loss/distilled", "curriculum/distance"], "SFT recorded neither");
        sft.Should().HaveCount(2 * 5);
        soft.Where(s => s.Tag.StartsWith("curriculum/", StringComparison.Ordinal)).Should().Equal(
            ("curriculum/distance", 0, 2.0f),
            ("curriculum/lambda", 1, 1.0f), ("curriculum/distance", 1, 1.5f),
            ("curriculum/lambda", 2, 0.7788f), ("curriculum/distance", 2, 1.2f));
    }

    [Fact]
    public void A_second_write_replaces_the_first_and_leaves_no_temporary_folder()
    {
        using var temp = new TempFolder();
        string logDir = temp.Combine(TensorBoardLogger.FolderName);
        Directory.CreateDirectory(Path.Combine(logDir, ".SOFT.1.abc.tmp"));

        TensorBoardLogger.Write(logDir, ReportSamples.Full());
        var second = TensorBoardLogger.Write(logDir, ReportSamples.Full());

        Directory.GetDirectories(logDir).Select(Path.GetFileName).Should().BeEquivalentTo(["SFT", "SOFT"]);
        foreach (string file in second)
            Directory.GetFiles(Path.GetDirectoryName(file)!).Should().Equal(file);
    }

    [Fact]
    public void One_method_can_be_written_before_the_report_exists()
    {
        using var temp = new TempFolder();
        var training = ReportSamples.Full().Training["SFT"];

        string file = TensorBoardLogger.WriteMethod(temp.Path, "Guidance-only", training);

        Path.GetDirectoryName(file).Should().Be(temp.Combine("Guidance-only"));
        ReadScalars(file).Where(s => s.Tag == "validation/HR@10").Should().Equal(("validation/HR@10", 1, 0.07f), ("validation/HR@10", 2, 0.05f));
    }

    [Theory]
    [InlineData("Guidance-only", "Guidance-only")]
    [InlineData("a/b", "a_b")]
    [InlineData("..", "_..")]
    [InlineData("my method", "my_method")]
    public void Run_folder_names_are_single_safe_segments(string method, string expected) =>
        TensorBoardLogger.RunFolderName(method).Should().Be(expected);

    /// <summary>
    /// Reads a TFRecord file, checking both masked CRC-32Cs of every record, and returns the scalar summaries of its
    /// events in file order.
    /// </summary>
    private static List<(string Tag, long Step, float Value)> ReadScalars(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var scalars = new List<(string, long, float)>();
        int offset = 0;
        int records = 0;
        while (offset < bytes.Length)
        {
            // Record: uint64 length, uint32 masked CRC of the length bytes, data, uint32 masked CRC of the data.
            bytes.Length.Should().BeGreaterThanOrEqualTo(offset + 12, "a record header is complete");
            var lengthBytes = bytes.AsSpan(offset, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)).Should().Be(MaskedCrc(lengthBytes), "the length CRC matches");
            int dataStart = offset + 12;
            bytes.Length.Should().BeGreaterThanOrEqualTo(dataStart + (int)length + 4, "the record's data is complete");
            var data = bytes.AsSpan(dataStart, (int)length);
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(dataStart + (int)length, 4)).Should().Be(MaskedCrc(data), "the data CRC matches");

            var evnt = Tensorboard.Event.Parser.ParseFrom(data.ToArray());
            if (records == 0)
                evnt.FileVersion.Should().Be("brain.Event:2", "an event file starts with its version");
            if (evnt.Summary is { } summary)
            {
                foreach (var value in summary.Value)
                    scalars.Add((value.Tag, evnt.Step, value.SimpleValue));
            }
            offset = dataStart + (int)length + 4;
            records++;
        }
        records.Should().BeGreaterThan(1);
        return scalars;
    }

    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    // CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, bit by bit: slow, but obviously the textbook definition.
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        // The check value of CRC-32C for "123456789", from the CRC catalogue.
        Crc32C("123456789"u8).Should().Be(0xE3069283u);
    }
}
