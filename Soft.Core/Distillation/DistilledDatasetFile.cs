using System.Text;
using System.Text.Json;
using Soft.IO;

namespace Soft.Distillation;

/// <summary>
/// Reads and writes D̂ as JSON Lines (<c>distilled.jsonl</c>): one <see cref="DistilledExample"/> per line with
/// camelCase keys (<c>sampleIndex</c>, <c>userId</c>, <c>prompt</c>, <c>realTarget</c>, <c>distilledTarget</c>,
/// <c>beams</c>, <c>beamScores</c>). Written atomically; reading names the file and line of any bad row.
/// </summary>
public static class DistilledDatasetFile
{
    /// <summary>The file name used in a run folder.</summary>
    public const string FileName = "distilled.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty: an empty D̂ cannot train anything.</exception>
    public static void Write(string path, IReadOnlyList<DistilledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
            throw new ArgumentException($"Refusing to write an empty distilled dataset to {path}.", nameof(examples));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var example in examples)
                writer.WriteLine(JsonSerializer.Serialize(example, Json));
        });
    }

    /// <summary>Reads every example of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line is not a valid example, or the file holds none; the message names the file and line.</exception>
    public static IReadOnlyList<DistilledExample> Read(string path)
    {
        var examples = new List<DistilledExample>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            DistilledExample? example;
            try
            {
                example = JsonSerializer.Deserialize<DistilledExample>(line, Json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: not a distilled example ({e.Message}).", e);
            }
            if (example is null || example.Prompt is null || example.DistilledTarget is null || example.RealTarget is null)
                throw new InvalidDataException($"{path}, line {lineNumber}: a distilled example needs prompt, realTarget and distilledTarget.");
            examples.Add(example);
        }
        if (examples.Count == 0)
            throw new InvalidDataException($"{path}: the distilled dataset is empty.");
        return examples;
    }
}
