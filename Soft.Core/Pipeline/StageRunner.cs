using Soft.Runs;

namespace Soft.Pipeline;

/// <summary>
/// The one place that decides whether a stage runs: a stage whose artifacts are recorded in the manifest (and still
/// match their checksums) is loaded, any other is built, timed and recorded. Reruns invalidate a stage and every
/// stage planned after it.
/// </summary>
internal sealed class StageRunner(RunFolder run, StageTimings timings, IProgress<PipelineProgress>? progress)
{
    public RunFolder Run => run;

    public IProgress<PipelineProgress>? Progress => progress;

    public IReadOnlyDictionary<string, double> Seconds => timings.All;

    public bool IsDone(StageKey stage) => run.IsComplete(stage.Name);

    /// <summary>Loads the stage's finished artifacts, or builds them (reporting <paramref name="what"/>) and records their files.</summary>
    public T Once<T>(StageKey stage, string what, Func<T> load, Func<(T Value, IReadOnlyList<string> Files)> build)
    {
        if (run.IsComplete(stage.Name))
            return load();
        progress?.Report(new PipelineProgress(stage.Name, what));
        var (value, files) = timings.Measure(stage, build);
        run.Complete(stage.Name, files);
        return value;
    }

    /// <summary>Times work that keeps its own resume points (a training stage records every epoch itself).</summary>
    public T Measure<T>(StageKey stage, Func<T> work) => timings.Measure(stage, work);

    /// <summary>
    /// Forgets <paramref name="rerun"/> and what was built from it: every stage of <paramref name="plan"/> (in run order)
    /// from the first of that kind, or, for <see cref="RunStage.Eval"/>, every evaluation.
    /// </summary>
    public void Invalidate(List<StageKey> plan, RunStage rerun)
    {
        int first = rerun == RunStage.Eval ? 0 : plan.FindIndex(s => s.Kind != RunStage.Eval && s.Kind >= rerun);
        if (first < 0)
            return;
        foreach (var stage in plan.Skip(first).Where(s => rerun != RunStage.Eval || s.Kind == RunStage.Eval))
        {
            run.Invalidate(stage.Name);
            // Training stages record their epochs under their name ("sft/epoch-2").
            run.Invalidate(stage.Name + "/", withPrefix: true);
        }
    }
}
