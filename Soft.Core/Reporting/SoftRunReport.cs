using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Soft.Data;
using Soft.IO;

namespace Soft.Reporting;

/// <summary>
/// The outcome of one run, as written to <c>report.json</c>: what was trained on what, the test metrics of every
/// method, how each method trained (per epoch λ, d and the losses on D and D̂), what D̂ is like, the stage timings
/// and, for readers, the machine facts.
/// </summary>
/// <remarks>
/// <para>
/// The JSON form is one camelCase object whose keys are, in order, <c>dataset</c>, <c>baseModel</c>, <c>seed</c>,
/// <c>preset</c>, <c>device</c>, <c>threads</c>, <c>startedAt</c>, <c>finishedAt</c>, <c>peakMemoryBytes</c>,
/// <c>results</c> (each <c>{method, evaluator, metrics}</c>), <c>training</c> (method name → <see cref="MethodTraining"/>),
/// <c>distillation</c> (<see cref="DistillationDiagnostics"/>), <c>stageSeconds</c>, <c>datasetStatistics</c> and
/// <c>notes</c>; optional facts that are null are left out. Method and metric names are written as given
/// (<c>"SFT"</c>, <c>"HR@10"</c>). Non-finite numbers are written as the strings <c>"NaN"</c> and <c>"Infinity"</c>.
/// </para>
/// <para>
/// <see cref="ToJson"/> and <see cref="Save"/> refuse a report whose methods lack one of
/// <see cref="RequiredMetrics"/>, so every report can be compared with every other at the same cutoffs.
/// </para>
/// <para>
/// Two reports are equal when their JSON forms are equal, so a report read back from its file equals the one that
/// was written; <c>with</c> expressions copy a report and change some of its facts.
/// </para>
/// </remarks>
public sealed record SoftRunReport
{
    /// <summary>The report's file name inside a run folder.</summary>
    public const string FileName = "report.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // λ and Greek letters in notes stay readable in the file.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The test metrics every method must report: HR and NDCG at 1, 5, 10 and 20.</summary>
    public static IReadOnlyList<string> RequiredMetrics { get; } =
        ["HR@1", "HR@5", "HR@10", "HR@20", "NDCG@1", "NDCG@5", "NDCG@10", "NDCG@20"];

    /// <summary>The dataset's name, for example <c>"lastfm"</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>The base model the methods were fine-tuned from: a checkpoint folder name or a preset name.</summary>
    public required string BaseModel { get; init; }

    /// <summary>The run's seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The options preset the run used (for example <c>"paper"</c> or <c>"quick"</c>); null when none.</summary>
    public string? Preset { get; init; }

    /// <summary>The device the models ran on (for example <c>"cpu"</c> or <c>"cuda:0"</c>); null when not recorded.</summary>
    public string? Device { get; init; }

    /// <summary>The number of CPU threads libtorch used; null when not recorded.</summary>
    public int? Threads { get; init; }

    /// <summary>When the run started (its first process, when it was resumed after a crash); null when not recorded.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run finished; null when not recorded.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>
    /// The peak resident memory in bytes (<c>VmHWM</c> of <c>/proc/self/status</c> on Linux, the peak working set
    /// elsewhere): the highest of every process of the run, when
    /// it was resumed after a crash; null when not recorded.
    /// </summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>
    /// The test metrics of every method under every evaluator, in run order (methods in the order they ran, each with
    /// the evaluators in the order registered; the first evaluator is the run's main one). Each holds at least
    /// <see cref="RequiredMetrics"/>; any other metric is kept.
    /// </summary>
    public required IReadOnlyList<MethodResult> Results { get; init; }

    /// <summary>The methods of <see cref="Results"/>, in run order, each once.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> MethodNames => [.. (Results ?? []).Select(r => r.Method).Distinct(StringComparer.Ordinal)];

    /// <summary>The evaluators of <see cref="Results"/>, the main one first, each once.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EvaluatorNames => [.. (Results ?? []).Select(r => r.Evaluator).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The metrics of <paramref name="method"/> under <paramref name="evaluator"/> (null: the main evaluator, the first
    /// of <see cref="EvaluatorNames"/>), or null when the report has no such result.
    /// </summary>
    /// <param name="method">A method name of <see cref="MethodNames"/>.</param>
    /// <param name="evaluator">An evaluator name of <see cref="EvaluatorNames"/>; null for the main one.</param>
    public IReadOnlyDictionary<string, double>? MetricsOf(string method, string? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        evaluator ??= EvaluatorNames.FirstOrDefault();
        return Results.FirstOrDefault(r => r.Method == method && r.Evaluator == evaluator)?.Metrics;
    }

    /// <summary>
    /// How every fine-tuned method (SFT, SOFT, each variant) trained, by method name in run order: why it stopped, the
    /// epoch it kept, d_0, and each epoch's λ, d, losses on D and D̂ and validation metrics. Empty when none was trained.
    /// </summary>
    public IReadOnlyDictionary<string, MethodTraining> Training { get; init; } = new Dictionary<string, MethodTraining>(StringComparer.Ordinal);

    /// <summary>What D̂, the SFT model's answers to its training prompts, is like next to D; null when no D̂ was made.</summary>
    public DistillationDiagnostics? Distillation { get; init; }

    /// <summary>Wall-clock seconds per pipeline stage, by stage name, in the order the stages ran.</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// The dataset's statistics in their own JSON form (see <see cref="DescribeDataset"/>); null when not recorded.
    /// Kept as JSON so that the report reads back even when <see cref="Data.DatasetStatistics"/> gains fields.
    /// </summary>
    public JsonObject? DatasetStatistics { get; init; }

    /// <summary>Free-text remarks for readers (what was unusual about the run); empty when none.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The wall time from <see cref="StartedAt"/> to <see cref="FinishedAt"/>, or null when either is missing.</summary>
    [JsonIgnore]
    public TimeSpan? WallTime => StartedAt is { } start && FinishedAt is { } end ? end - start : null;

    /// <summary>The statistics of a dataset as a JSON object for <see cref="DatasetStatistics"/>.</summary>
    /// <param name="statistics">The statistics to embed.</param>
    /// <returns>The statistics' own JSON form (snake_case keys, as in their stand-alone file).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is null.</exception>
    public static JsonObject DescribeDataset(DatasetStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return JsonNode.Parse(statistics.ToJson())!.AsObject();
    }

    /// <summary>The report as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    /// <exception cref="InvalidOperationException">The report is incomplete (see <see cref="RequiredMetrics"/>); the message says what is missing.</exception>
    public string ToJson()
    {
        string? problem = FindProblem();
        if (problem is not null)
            throw new InvalidOperationException($"The run report cannot be written: {problem}.");
        return JsonSerializer.Serialize(this, JsonOptions);
    }

    /// <summary>Reads a report from its JSON form.</summary>
    /// <param name="json">Text written by <see cref="ToJson"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="InvalidDataException">The text is not a complete report.</exception>
    public static SoftRunReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SoftRunReport? report;
        try
        {
            if (JsonNode.Parse(json) is JsonObject old && OlderLayout(old) is { } older)
                throw new InvalidDataException($"The run report was written by an older Soft: {older}. Run the pipeline in its folder again to rewrite it.");
            report = JsonSerializer.Deserialize<SoftRunReport>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The run report is not valid: {e.Message}", e);
        }
        if (report is null)
            throw new InvalidDataException("The run report is empty (JSON null).");
        if (report.FindProblem() is { } problem)
            throw new InvalidDataException($"The run report is not valid: {problem}.");
        return report;
    }

    /// <summary>Writes the report's JSON to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <param name="path">The file to write, usually <see cref="FileName"/> inside the run folder.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">The report is incomplete.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToJson());
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    /// <param name="path">The report file.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete report.</exception>
    public static SoftRunReport Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="other"/> has the same JSON form (every fact, metric and log entry equal).</summary>
    /// <param name="other">The report to compare with.</param>
    /// <returns>Whether the two reports say the same thing.</returns>
    public bool Equals(SoftRunReport? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(Canonical(), other.Canonical(), StringComparison.Ordinal));

    /// <summary>A hash of the JSON form, consistent with <see cref="Equals(SoftRunReport)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical());

    // Collections compare by content only through their serialised form; no validation, so incomplete reports compare too.
    private string Canonical() => JsonSerializer.Serialize(this, JsonOptions);

    // What a report of an earlier layout holds instead of today's keys; null when it is not one.
    private static string? OlderLayout(JsonObject report)
    {
        if (report.ContainsKey("methods") && !report.ContainsKey("results"))
            return "it keys metrics by method name under 'methods' instead of listing 'results'";
        if ((report.ContainsKey("curriculum") || report.ContainsKey("trainingLog")) && !report.ContainsKey("training"))
            return "it records training under 'curriculum' and 'trainingLog' instead of one 'training' entry per method (with why it stopped, the kept epoch and the losses on D and D̂)";
        return null;
    }

    private string? FindProblem()
    {
        // A deserialised report may hold nulls where the compiler cannot see them.
        if (string.IsNullOrWhiteSpace(Dataset))
            return "'dataset' is empty";
        if (string.IsNullOrWhiteSpace(BaseModel))
            return "'baseModel' is empty";
        if (Results is null || Results.Count == 0)
            return "'results' holds no result; add each method's test metrics";
        foreach (var result in Results)
        {
            if (result is null || string.IsNullOrWhiteSpace(result.Method) || string.IsNullOrWhiteSpace(result.Evaluator))
                return "every result names its method and evaluator";
            if (result.Metrics is null)
                return $"method '{result.Method}' under '{result.Evaluator}' has no metrics";
            var missing = RequiredMetrics.Where(m => !result.Metrics.ContainsKey(m)).ToList();
            if (missing.Count > 0)
                return $"method '{result.Method}' under '{result.Evaluator}' lacks {string.Join(", ", missing)}; evaluate with cutoffs 1, 5, 10 and 20";
            if (Results.Count(r => r.Method == result.Method && r.Evaluator == result.Evaluator) > 1)
                return $"method '{result.Method}' under '{result.Evaluator}' appears twice";
        }
        if (Training is null || StageSeconds is null || Notes is null)
            return "'training', 'stageSeconds' and 'notes' may be empty but not null";
        foreach (var (method, training) in Training)
        {
            if (training is null || training.EpochRecords is null || training.EpochRecords.Any(r => r is null) || string.IsNullOrWhiteSpace(training.MetricName))
                return $"the training of '{method}' needs its 'metricName' and 'epochRecords'";
        }
        return null;
    }
}
