using Soft.Runs;

namespace Soft.Curriculum;

/// <summary>
/// Chooses λ, the weight of the distilled loss, for each training epoch:
/// loss = (1 − λ)·L_real + λ·L_distilled.
/// </summary>
/// <remarks>
/// <para>
/// <b>When it is called.</b> The trainer calls <see cref="NextLambda"/> once before every epoch e = 1, 2, …,
/// passing a history whose <see cref="CurriculumHistory.NextEpoch"/> is e: before epoch 1 it holds only d_0
/// (measured with the untrained model when <see cref="RequiresDistance"/> is true), and before epoch e it also
/// holds the statistics of epochs 1 … e − 1. Early stopping and resuming may end or restart the sequence; a
/// resumed run replays the recorded history, so the scheduler sees the same input again.
/// </para>
/// <para>
/// <b>What it may assume.</b> Epochs are numbered 1, 2, … without gaps; every λ and distance in the history is
/// finite and in range (the history types check this). When <see cref="RequiresDistance"/> is true, d_0 and
/// every d_e are present; otherwise they may be null. Losses may be NaN or infinite if training diverged.
/// </para>
/// <para>
/// <b>What it must guarantee.</b> The result is a finite number in [0, 1], and it depends only on the history and
/// the scheduler's own configuration: the same history always gives the same λ (no clock, no randomness, no state
/// carried between calls), so a run can be resumed or replayed exactly. The trainer rejects any other value with
/// <see cref="InvalidOperationException"/> naming the scheduler, the epoch and the value.
/// Implementations should be thread-safe, which follows from being pure.
/// </para>
/// </remarks>
public interface ICurriculumScheduler
{
    /// <summary>
    /// Whether the trainer must measure the grounded distances d_0 (before epoch 1) and d_e (after every epoch)
    /// for this scheduler. The measurement decodes a fixed sample of training prompts each epoch, so schedulers
    /// that ignore distances say false and save that time. Defaults to true.
    /// </summary>
    bool RequiresDistance => true;

    /// <summary>Returns λ for epoch <see cref="CurriculumHistory.NextEpoch"/> of <paramref name="history"/>.</summary>
    /// <param name="history">d_0 and the statistics of every finished epoch.</param>
    /// <returns>The weight of the distilled loss, a finite number in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    double NextLambda(CurriculumHistory history);

    /// <summary>
    /// What identifies this scheduler in a run folder's configuration hash: a change here makes a folder that holds a
    /// run with the old value refuse the run instead of reusing its stages. Default:
    /// the type's full name and the public properties as JSON. Override it when behaviour
    /// depends on private settings, for example <c>public JsonNode Fingerprint() =&gt; new JsonObject { ["type"] = GetType().FullName, ["step"] = _step };</c>.
    /// </summary>
    System.Text.Json.Nodes.JsonNode Fingerprint() => Runs.PartFingerprint.Of(this);
}
