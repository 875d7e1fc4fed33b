using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Training;

/// <summary>
/// The content of <c>trainer_state.json</c>: everything besides the weights and the optimizer moments that a resumed
/// stage needs to continue exactly where it left off, and the record of what happened.
/// </summary>
internal sealed class TrainerState
{
    /// <summary>Serializer settings of the stage's JSON files: snake_case like Hugging Face's trainer_state.json,
    /// enums as names, and NaN/∞ allowed because a diverging epoch records them.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The same settings on one line, for <c>curriculum.jsonl</c>.</summary>
    public static readonly JsonSerializerOptions JsonLine = new(Json) { WriteIndented = false };

    public int FormatVersion { get; set; } = 1;

    public string Stage { get; set; } = "";

    /// <summary>Hash of the options and the data; a resume with anything else is refused.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>The last finished epoch (0 before the first).</summary>
    public int Epoch { get; set; }

    /// <summary>Optimizer steps taken, skipped ones included: the learning-rate schedule's position.</summary>
    public long GlobalStep { get; set; }

    public long TotalSteps { get; set; }

    public int StepsPerEpoch { get; set; }

    public LearningRateSchedule Schedule { get; set; }

    public double LearningRate { get; set; }

    public double? InitialDistance { get; set; }

    public List<EpochRecord> Epochs { get; set; } = [];

    public int? BestEpoch { get; set; }

    public double? BestMetric { get; set; }

    public int EpochsWithoutImprovement { get; set; }

    public int ConsecutiveNonFiniteSteps { get; set; }

    public int SkippedSteps { get; set; }

    /// <summary>Set once the stage has decided to stop; null while it would go on.</summary>
    public TrainingStopReason? StopReason { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainerState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: the trainer state is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid trainer state ({e.Message}).", e);
        }
    }
}
