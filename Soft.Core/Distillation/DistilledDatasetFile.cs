using System.Text.Json;
using System.Text.Json.Serialization;
using Soft.IO;

namespace Soft.Distillation;

/// <summary>
/// D̂ on disk: <c>distilled.jsonl</c>, one <see cref="DistilledExample"/> per line, in sample order. Also the format of
/// <see cref="DistillationRequest.PartialResultsPath"/>.
/// </summary>
/// <remarks>
/// A line looks like <c>{"sampleIndex":0,"userId":"u1","prompt":"…","realTarget":"\"A\"","distilledTarget":"\"B\"","beams":[…],"beamScores":[…]}</c>.
/// </remarks>
public static class DistilledDatasetFile
{
    /// <summary>The file name of D̂ in a run folder.</summary>
    public const string FileName = "distilled.jsonl";

    private static readonly JsonLines<DistilledExample> Lines = new(
        new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            // A beam blocked by a constraint scores −∞; keep it readable rather than failing the whole file.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        },
        "Distilled dataset",
        "a distilled example");

    /// <summary>Writes D̂ to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file; its folder is created.</param>
    /// <param name="examples">The examples, in sample order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="examples"/> is empty (an empty D̂ cannot train anything), holds null, or is not in sample order
    /// (<see cref="Read"/> would refuse the file); nothing is written then.
    /// </exception>
    public static void Write(string path, IReadOnlyList<DistilledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
            throw new ArgumentException($"Refusing to write an empty distilled dataset to {path}.", nameof(examples));
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is not { } example)
                throw new ArgumentException($"examples[{i}] is null; nothing was written to {path}.", nameof(examples));
            if (example.SampleIndex != i)
                throw new ArgumentException($"examples[{i}] has sampleIndex {example.SampleIndex}; D̂ must be in sample order (0, 1, 2, …). Nothing was written to {path}.", nameof(examples));
        }
        Lines.Write(path, examples);
    }

    /// <summary>Reads D̂ written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The examples; their sample indices are 0, 1, 2, … in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file holds no example, or a line is malformed or out of order; the message names the file and the line.
    /// </exception>
    public static IReadOnlyList<DistilledExample> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new List<DistilledExample>();
        foreach (var (number, parsed) in Lines.Read(path))
        {
            var example = Checked(path, number, parsed);
            if (example.SampleIndex != result.Count)
                throw new InvalidDataException($"{path}, line {number}: sampleIndex {example.SampleIndex} where {result.Count} was expected (examples must be in sample order).");
            result.Add(example);
        }
        if (result.Count == 0)
            throw new InvalidDataException($"{path}: the distilled dataset is empty; run self-distillation again (the SFT model must answer every training prompt).");
        return result;
    }

    /// <summary>One example as a JSONL line (with its newline), as <see cref="Write"/> writes it; for appending to partial files.</summary>
    public static string ToLine(DistilledExample example) => Lines.Line(example);

    /// <summary>Parses line <paramref name="number"/> of <paramref name="path"/>; errors name both.</summary>
    /// <exception cref="InvalidDataException">The line is not a valid example.</exception>
    public static DistilledExample ParseLine(string path, int number, string line) => Checked(path, number, Lines.Parse(path, number, line));

    // The rules JSON alone does not enforce: required fields, a sample index, soft labels that are probabilities.
    private static DistilledExample Checked(string path, int number, DistilledExample? example)
    {
        if (example is null || example.UserId is null || example.Prompt is null || example.RealTarget is null
            || example.DistilledTarget is null || example.Beams is null || example.BeamScores is null)
            throw new InvalidDataException($"{path}, line {number}: a distilled example needs userId, prompt, realTarget, distilledTarget, beams and beamScores.");
        if (example.SampleIndex < 0)
            throw new InvalidDataException($"{path}, line {number}: sampleIndex must not be negative.");
        for (int k = 0; k < (example.SoftLabels?.Count ?? 0); k++)
        {
            var label = example.SoftLabels![k];
            // A float log-softmax can round a certain item's probability a hair above 1; that is still a probability.
            if (label is null || label.Item < 0 || !(label.Probability is >= 0 and <= 1 + 1e-6))
                throw new InvalidDataException($"{path}, line {number}: softLabels[{k}] needs an item index ≥ 0 and a probability in [0, 1].");
        }
        return example;
    }
}
