using System.Text;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;

namespace Soft.Tests.IO;

/// <summary>
/// The catalogue, D̂ and predictions files share one JSON Lines reader and writer (JsonLines); their bytes and their
/// error messages are those each file had on its own.
/// </summary>
public sealed class JsonLinesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Each_file_is_written_byte_for_byte_as_before()
    {
        string catalog = _folder.Combine(CatalogFile.FileName);
        CatalogFile.Write(catalog, new ItemCatalog([new(0, "51", "Björk \"Homogenic\""), new(1, "7", "Twin <&>", "pop"), new(2, "9", "Twin")]), [3, 0, 12]);
        string distilled = _folder.Combine(DistilledDatasetFile.FileName);
        DistilledDatasetFile.Write(distilled, [
            new DistilledExample(0, "u0", "prompt é\nnext:\n", "\"Real\"", "\"Answer\"", ["\"Answer\"", "\"Other\""], [-1.25, double.NegativeInfinity]) { SoftLabels = [new SoftLabel(7, 0.5), new SoftLabel(2, 1e-9)] },
            new DistilledExample(1, "u1", "p", "\"R\"", "\"A\"", ["\"A\""], [-0.1])]);
        string predictions = _folder.Combine("predictions.jsonl");
        PredictionsFile.Write(predictions, [new(0, "u1", 42, 3, [7, 9, 1, 42], "\"Queen\""), new(1, "u\"2\"", 5, null, [], null)]);

        // UTF-8 without a byte-order mark, one record and "\n" per line.
        File.ReadAllBytes(catalog).Should().Equal(Utf8(
            """{"id":"51","title":"Björk \"Homogenic\"","count":3}""",
            """{"id":"7","title":"Twin <&>","metadata":"pop","count":0}""",
            """{"id":"9","title":"Twin","count":12}"""));
        File.ReadAllBytes(distilled).Should().Equal(Utf8(
            """{"sampleIndex":0,"userId":"u0","prompt":"prompt \u00E9\nnext:\n","realTarget":"\u0022Real\u0022","distilledTarget":"\u0022Answer\u0022","beams":["\u0022Answer\u0022","\u0022Other\u0022"],"beamScores":[-1.25,"-Infinity"],"softLabels":[{"item":7,"probability":0.5},{"item":2,"probability":1E-09}]}""",
            """{"sampleIndex":1,"userId":"u1","prompt":"p","realTarget":"\u0022R\u0022","distilledTarget":"\u0022A\u0022","beams":["\u0022A\u0022"],"beamScores":[-0.1]}"""));
        File.ReadAllBytes(predictions).Should().Equal(Utf8(
            """{"sampleIndex":0,"userId":"u1","target":42,"rank":3,"topItems":[7,9,1,42],"generated":"\u0022Queen\u0022"}""",
            """{"sampleIndex":1,"userId":"u\u00222\u0022","target":5,"rank":null,"topItems":[],"generated":null}"""));
    }

    [Theory]
    [InlineData("catalog", "Catalogue file", "a catalogue item")]
    [InlineData("distilled", "Distilled dataset", "a distilled example")]
    [InlineData("predictions", "Predictions file", "a prediction")]
    public void A_missing_file_and_a_line_that_is_not_json_are_named_as_each_file_named_them(string file, string fileKind, string recordKind)
    {
        Func<string, object> read = file switch
        {
            "catalog" => path => CatalogFile.Read(path),
            "distilled" => path => DistilledDatasetFile.Read(path),
            _ => path => PredictionsFile.Read(path),
        };
        string path = _folder.Combine($"{file}.jsonl");

        read.Invoking(r => r(path)).Should().Throw<FileNotFoundException>().WithMessage($"{fileKind} not found: {path}");

        // Blank lines are skipped but counted, so the number is the one an editor shows.
        File.WriteAllText(path, "\n  \n{\"sampleIndex\":\n");
        read.Invoking(r => r(path)).Should().Throw<InvalidDataException>().WithMessage($"{path}, line 3: not {recordKind} (*).");
    }

    private static byte[] Utf8(params string[] lines) => new UTF8Encoding(false).GetBytes(string.Concat(lines.Select(l => l + "\n")));
}
