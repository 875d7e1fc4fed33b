using Soft.Distillation;

namespace Soft.Tests.Distillation;

public sealed class DistilledDatasetFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DistilledExample Example(int index) =>
        new(index, $"u{index}", $"prompt {index}\nnext:\n", "\"Real\"", $"\"Answer {index}\"", [$"\"Answer {index}\"", "\"Other\""], [-1.25, double.NegativeInfinity]);

    [Fact]
    public void Distilled_examples_round_trip()
    {
        var examples = Enumerable.Range(0, 3).Select(Example).ToList();
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(path, examples);
        File.ReadAllLines(path).Should().HaveCount(3);
        DistilledDatasetFile.Read(path).Should().BeEquivalentTo(examples, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Soft_labels_round_trip_and_rows_without_them_stay_without()
    {
        var examples = new List<DistilledExample>
        {
            Example(0) with { SoftLabels = [new SoftLabel(7, 0.5), new SoftLabel(2, 0.25), new SoftLabel(0, 1e-9)] },
            Example(1),
        };
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(path, examples);
        var lines = File.ReadAllLines(path);
        lines[0].Should().Contain("\"softLabels\":[{\"item\":7,\"probability\":0.5}");
        lines[1].Should().NotContain("softLabels");
        var read = DistilledDatasetFile.Read(path);
        read[0].SoftLabels.Should().Equal(examples[0].SoftLabels);
        read[1].SoftLabels.Should().BeNull();
    }

    [Fact]
    public void A_probability_rounded_a_hair_above_one_reads_back()
    {
        // exp of a float log-softmax of 0 can come out as 1.0000001 (a crash-resumed quickstart hit this).
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(path, [Example(0) with { SoftLabels = [new SoftLabel(3, 1.0000001192092896)] }]);
        DistilledDatasetFile.Read(path)[0].SoftLabels![0].Probability.Should().BeApproximately(1, 1e-6);
    }

    [Fact]
    public void A_soft_label_outside_zero_to_one_or_with_a_negative_item_is_refused_with_its_line()
    {
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(path, [Example(0), Example(1) with { SoftLabels = [new SoftLabel(3, 1.5)] }]);
        var read = () => DistilledDatasetFile.Read(path);
        read.Should().Throw<InvalidDataException>().WithMessage($"*{path}, line 2*softLabels[0]*");
        DistilledDatasetFile.Write(path, [Example(0) with { SoftLabels = [new SoftLabel(-1, 0.5)] }]);
        read.Should().Throw<InvalidDataException>().WithMessage($"*line 1*softLabels[0]*");
    }

    [Fact]
    public void An_empty_dataset_is_refused_on_write_and_on_read_naming_the_file()
    {
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        var write = () => DistilledDatasetFile.Write(path, []);
        write.Should().Throw<ArgumentException>().WithMessage("*empty*");
        File.WriteAllText(path, "\n");
        var read = () => DistilledDatasetFile.Read(path);
        read.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("empty");
    }

    [Fact]
    public void A_corrupt_line_is_reported_with_file_and_line()
    {
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(path, [Example(0), Example(1)]);
        File.AppendAllText(path, "{\"sampleIndex\":2,\"userId\":\"u\"\n");
        var act = () => DistilledDatasetFile.Read(path);
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("line 3");
    }

    [Fact]
    public void A_line_missing_a_field_or_out_of_order_is_reported_with_its_line()
    {
        string path = _folder.Combine(DistilledDatasetFile.FileName);
        File.WriteAllText(path, "{\"sampleIndex\":0,\"userId\":\"u\",\"prompt\":\"p\",\"realTarget\":\"r\",\"beams\":[],\"beamScores\":[]}\n");
        var missing = () => DistilledDatasetFile.Read(path);
        missing.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("line 1").And.Contain("distilledTarget");

        // Write refuses examples out of order, so the damaged file is made line by line.
        File.WriteAllText(path, DistilledDatasetFile.ToLine(Example(0)) + DistilledDatasetFile.ToLine(Example(2)));
        var order = () => DistilledDatasetFile.Read(path);
        order.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("line 2").And.Contain("sampleIndex 2");
    }
}
