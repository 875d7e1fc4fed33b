using System.Text.Json;
using Soft.Data;
using Soft.IO;

namespace Soft.Evaluation;

/// <summary>
/// Per-sample predictions as JSON Lines (<c>predictions/&lt;method&gt;-&lt;split&gt;.jsonl</c>), one
/// <see cref="SamplePrediction"/> per line, so that any metric can be recomputed without decoding again.
/// </summary>
/// <remarks>
/// A line looks like <c>{"sampleIndex":0,"userId":"u1","target":42,"rank":3,"topItems":[7,9,1,42],"generated":"\"Title\""}</c>;
/// <c>rank</c> is null when the true item was not ranked. Files are written atomically.
/// </remarks>
internal static class PredictionsFile
{
    private static readonly JsonLines<SamplePrediction> Lines = new(
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false }, "Predictions file", "a prediction");

    /// <summary>The path of the predictions of <paramref name="method"/> on <paramref name="split"/> in a run folder.</summary>
    /// <param name="runFolder">The run folder.</param>
    /// <param name="method">The method (e.g. <c>sft</c>, <c>soft</c>) or evaluator name.</param>
    /// <param name="split">The evaluated split.</param>
    /// <returns><c>runFolder/predictions/method-split.jsonl</c>, the split in lower case.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string PathFor(string runFolder, string method, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        ArgumentNullException.ThrowIfNull(method);
        return Path.Combine(runFolder, "predictions", $"{method}-{split.ToString().ToLowerInvariant()}.jsonl");
    }

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/>, one JSON object per line, atomically.</summary>
    /// <param name="path">The file; its folder is created.</param>
    /// <param name="predictions">The predictions, in sample order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(string path, IEnumerable<SamplePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(predictions);
        Lines.Write(path, predictions);
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The predictions, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a prediction; the message names the file and the line.</exception>
    public static IReadOnlyList<SamplePrediction> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new List<SamplePrediction>();
        foreach (var (number, prediction) in Lines.Read(path))
        {
            if (prediction is null || prediction.UserId is null || prediction.TopItems is null)
                throw new InvalidDataException($"{path}, line {number}: a prediction needs userId and topItems.");
            result.Add(prediction);
        }
        return result;
    }
}
