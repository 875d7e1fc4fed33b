using System.Globalization;
using System.Text.Json;
using Soft.Curriculum;
using Soft.Runs;

namespace Soft.Training;

/// <summary>
/// A stage's part of the run folder: <c>&lt;stage&gt;/epoch-N/</c> checkpoints, <c>curriculum.jsonl</c>,
/// <c>best/</c> and the final <c>trainer_state.json</c>, with the run stages recorded in the manifest.
/// </summary>
internal sealed class StageFolder
{
    /// <summary>The optimizer state of an epoch checkpoint, written by <see cref="AdamWOptimizer.Save"/>.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    /// <summary>TorchSharp's AdamW state, written by Soft versions before <see cref="AdamWOptimizer"/>; no longer readable.</summary>
    public const string LegacyOptimizerFileName = "optimizer.bin";
    public const string StateFileName = "trainer_state.json";
    public const string CurriculumFileName = "curriculum.jsonl";
    public const string BestFolderName = "best";

    private readonly RunFolder _run;
    private readonly string _stage;

    public StageFolder(RunFolder run, string stage)
    {
        _run = run;
        _stage = stage;
    }

    /// <summary>Whether the whole stage is recorded as done (its best weights are then in <see cref="BestPath"/>).</summary>
    public bool IsComplete => _run.IsComplete(_stage);

    /// <summary>Absolute path of <c>&lt;stage&gt;/best/</c>.</summary>
    public string BestPath => _run.PathOf($"{_stage}/{BestFolderName}");

    /// <summary>The run stage of an epoch checkpoint, <c>&lt;stage&gt;/epoch-N</c>.</summary>
    public string EpochStage(int epoch) => $"{_stage}/epoch-{epoch.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How many epochs 1, 2, … in a row have complete checkpoints (at most <paramref name="maxEpochs"/>).</summary>
    public int FinishedEpochs(int maxEpochs)
    {
        int finished = 0;
        while (finished < maxEpochs && _run.IsComplete(EpochStage(finished + 1)))
            finished++;
        return finished;
    }

    /// <summary>Loads epoch <paramref name="epoch"/>'s weights and optimizer state and returns its trainer state.</summary>
    /// <exception cref="RunConfigMismatchException">The checkpoint was written for another fingerprint.</exception>
    /// <exception cref="InvalidDataException">The optimizer state is missing or does not fit the optimizer; the message
    /// names the file.</exception>
    public TrainerState LoadEpoch(int epoch, string fingerprint, ITrainedWeights weights, AdamWOptimizer optimizer)
    {
        string dir = _run.PathOf(EpochStage(epoch));
        var state = ReadState(Path.Combine(dir, StateFileName), fingerprint);
        string optimizerPath = Path.Combine(dir, OptimizerFileName);
        if (!File.Exists(optimizerPath))
        {
            string legacy = Path.Combine(dir, LegacyOptimizerFileName);
            throw new InvalidDataException(File.Exists(legacy)
                ? $"{legacy} holds TorchSharp's optimizer state, written by an earlier Soft version, which cannot be resumed from; " +
                  "use another run folder, or invalidate this stage to train it again."
                : $"{optimizerPath} is missing, so epoch {epoch} cannot be resumed.");
        }
        weights.Load(dir);
        optimizer.Load(optimizerPath);
        return state;
    }

    /// <summary>Loads the weights of epoch <paramref name="epoch"/> into the model.</summary>
    public void LoadWeights(int epoch, ITrainedWeights weights) => weights.Load(_run.PathOf(EpochStage(epoch)));

    /// <summary>
    /// Writes the checkpoint of <paramref name="state"/>'s last epoch (weights, optimizer, state), rewrites
    /// <c>curriculum.jsonl</c> and records the epoch as a finished run stage.
    /// </summary>
    public void SaveEpoch(ITrainedWeights weights, AdamWOptimizer optimizer, TrainerState state)
    {
        string stage = EpochStage(state.Epoch);
        string dir = _run.PathOf(stage);
        // An unrecorded epoch folder is left over from an interrupted attempt: start it afresh.
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var files = weights.Save(dir).Select(f => $"{stage}/{f}").ToList();
        _run.Write($"{stage}/{OptimizerFileName}", optimizer.Save);
        _run.WriteText($"{stage}/{StateFileName}", state.ToJson());
        files.Add($"{stage}/{OptimizerFileName}");
        files.Add($"{stage}/{StateFileName}");
        // Rewritten whole each epoch, so a crash between an append and the checkpoint can never duplicate a line.
        _run.WriteText($"{_stage}/{CurriculumFileName}", string.Concat(state.Epochs.Select(r =>
            JsonSerializer.Serialize(ToStatistics(r), TrainerState.JsonLine) + "\n")));
        _run.Complete(stage, files, new Dictionary<string, string>
        {
            ["lambda"] = state.Epochs[^1].Lambda.ToString("R", CultureInfo.InvariantCulture),
            ["global_step"] = state.GlobalStep.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// Copies the weights of <paramref name="state"/>'s best epoch to <c>best/</c>, writes the final trainer state and,
    /// when an epoch finished, records the whole stage as done.
    /// </summary>
    public void SaveFinal(TrainerState state)
    {
        var files = new List<string>();
        if (state.BestEpoch is int best)
        {
            string source = _run.PathOf(EpochStage(best));
            if (Directory.Exists(BestPath))
                Directory.Delete(BestPath, recursive: true);
            foreach (string file in Directory.EnumerateFiles(source).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal))
            {
                if (file is OptimizerFileName or StateFileName)
                    continue;
                string relative = $"{_stage}/{BestFolderName}/{file}";
                _run.Write(relative, stream =>
                {
                    using var input = File.OpenRead(Path.Combine(source, file));
                    input.CopyTo(stream);
                });
                files.Add(relative);
            }
        }
        _run.WriteText($"{_stage}/{StateFileName}", state.ToJson());
        files.Add($"{_stage}/{StateFileName}");
        string curriculum = $"{_stage}/{CurriculumFileName}";
        if (File.Exists(_run.PathOf(curriculum)))
            files.Add(curriculum);
        // A stage that never finished an epoch has nothing to keep, so it is not recorded and a rerun tries again.
        if (state.BestEpoch is int epoch)
        {
            _run.Complete(_stage, files, new Dictionary<string, string>
            {
                ["best_epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                ["stop_reason"] = state.StopReason?.ToString() ?? "",
            });
        }
    }

    /// <summary>The final trainer state of a complete stage.</summary>
    /// <exception cref="RunConfigMismatchException">The stage was trained for another fingerprint.</exception>
    public TrainerState ReadFinalState(string fingerprint) => ReadState(_run.PathOf($"{_stage}/{StateFileName}"), fingerprint);

    /// <summary>The scheduler's view of a recorded epoch.</summary>
    public static EpochStatistics ToStatistics(EpochRecord r) =>
        new(r.Epoch, r.Lambda, r.Distance, r.RealLoss, r.DistilledLoss, r.CombinedLoss, r.Validation);

    private static TrainerState ReadState(string path, string fingerprint)
    {
        var state = TrainerState.Read(path);
        if (state.Fingerprint != fingerprint)
        {
            throw new RunConfigMismatchException(
                $"{path} was written for other training options or data (fingerprint {state.Fingerprint[..Math.Min(12, state.Fingerprint.Length)]}…). " +
                "Use another run folder, or invalidate this stage to train it again.");
        }
        return state;
    }
}
