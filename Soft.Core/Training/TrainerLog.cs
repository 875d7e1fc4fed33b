using Microsoft.Extensions.Logging;

namespace Soft.Training;

/// <summary>The trainer's log messages, source-generated so that disabled levels cost nothing.</summary>
internal static partial class TrainerLog
{
    [LoggerMessage(1, LogLevel.Information, "Stage {Stage} is already complete in the run folder; loaded its best epoch {BestEpoch}.")]
    public static partial void StageReused(ILogger logger, string stage, int? bestEpoch);

    [LoggerMessage(2, LogLevel.Information, "Stage {Stage}: resuming after epoch {Epoch} (step {Step} of {TotalSteps}).")]
    public static partial void Resuming(ILogger logger, string stage, int epoch, long step, long totalSteps);

    [LoggerMessage(3, LogLevel.Information, "Stage {Stage}: {Trainable} of {Total} parameter elements train; {Steps} optimizer steps per epoch.")]
    public static partial void Starting(ILogger logger, string stage, long trainable, long total, int steps);

    [LoggerMessage(4, LogLevel.Information, "Stage {Stage}: d_0 = {Distance}.")]
    public static partial void InitialDistance(ILogger logger, string stage, double distance);

    [LoggerMessage(5, LogLevel.Information, "Stage {Stage}, epoch {Epoch}: λ = {Lambda}.")]
    public static partial void EpochStarting(ILogger logger, string stage, int epoch, double lambda);

    [LoggerMessage(6, LogLevel.Information, "Stage {Stage}, epoch {Epoch}: loss {Loss}, {Metric} = {Value}, d = {Distance}, {Seconds} s.")]
    public static partial void EpochFinished(ILogger logger, string stage, int epoch, double loss, string metric, double? value, double? distance, double seconds);

    [LoggerMessage(7, LogLevel.Warning, "Stage {Stage}, epoch {Epoch}, step {Step}: loss {Loss} / gradient norm {Norm} is not finite; the step is skipped ({Streak} in a row).")]
    public static partial void StepSkipped(ILogger logger, string stage, int epoch, long step, double loss, double norm, int streak);

    [LoggerMessage(8, LogLevel.Information, "Stage {Stage} stopped ({Reason}); best epoch {BestEpoch}.")]
    public static partial void Stopped(ILogger logger, string stage, TrainingStopReason reason, int? bestEpoch);
}
