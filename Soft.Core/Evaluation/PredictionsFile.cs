using System.Text;
using System.Text.Json;
using Soft.IO;

namespace Soft.Evaluation;

/// <summary>
/// Reads and writes per-sample predictions as JSON Lines (<c>predictions/&lt;method&gt;-&lt;evaluator&gt;.jsonl</c>),
/// one <see cref="SamplePrediction"/> per line with camelCase keys, so that any metric can be recomputed later.
/// </summary>
public static class PredictionsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<SamplePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var prediction in predictions)
                writer.WriteLine(JsonSerializer.Serialize(prediction, Json));
        });
    }

    /// <summary>Reads every prediction of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line is not a prediction; the message names the file and line.</exception>
    public static IReadOnlyList<SamplePrediction> Read(string path)
    {
        var predictions = new List<SamplePrediction>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                predictions.Add(JsonSerializer.Deserialize<SamplePrediction>(line, Json)
                    ?? throw new InvalidDataException($"{path}, line {lineNumber}: null prediction."));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: not a prediction ({e.Message}).", e);
            }
        }
        return predictions;
    }
}
