using Soft.Data;
using Soft.Evaluation;
using Soft.Metrics;

namespace Soft.Tests.Evaluation;

public sealed class PredictionsFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Predictions_round_trip_through_jsonl()
    {
        SamplePrediction[] predictions =
        [
            new(0, "u1", 42, 3, [7, 9, 1, 42], "\"Queen\""),
            new(1, "u\"2\"", 5, null, [], null),
        ];
        string path = PredictionsFile.PathFor(_folder.Path, "soft", DataSplit.Test);
        path.Should().Be(_folder.Combine("predictions", "soft-test.jsonl"));
        PredictionsFile.Write(path, predictions);

        File.ReadAllLines(path).Should().HaveCount(2).And.Subject.First().Should().Be(
            "{\"sampleIndex\":0,\"userId\":\"u1\",\"target\":42,\"rank\":3,\"topItems\":[7,9,1,42],\"generated\":\"\\u0022Queen\\u0022\"}");
        var read = PredictionsFile.Read(path);
        read.Should().BeEquivalentTo(predictions, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_bad_line_is_reported_with_file_and_line()
    {
        string path = _folder.Combine("p.jsonl");
        File.WriteAllText(path, "{\"sampleIndex\":0,\"userId\":\"u\",\"target\":1,\"rank\":0,\"topItems\":[1],\"generated\":null}\n{\"sampleIndex\":1,\n");
        var act = () => PredictionsFile.Read(path);
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("line 2");
    }
}
