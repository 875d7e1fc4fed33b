using Soft.Reporting;
using Soft.Training;

namespace Soft.Tests.Reporting;

/// <summary>A fixed, hand-written report: three methods, how SFT and SOFT trained (two epochs each, d_0 for SOFT), D̂'s diagnostics and timings.</summary>
internal static class ReportSamples
{
    public static IReadOnlyDictionary<string, double> Metrics(
        double hr1, double hr5, double hr10, double hr20, double ndcg1, double ndcg5, double ndcg10, double ndcg20, double mrr) =>
        new Dictionary<string, double>
        {
            ["HR@1"] = hr1, ["HR@5"] = hr5, ["HR@10"] = hr10, ["HR@20"] = hr20,
            ["NDCG@1"] = ndcg1, ["NDCG@5"] = ndcg5, ["NDCG@10"] = ndcg10, ["NDCG@20"] = ndcg20,
            ["MRR"] = mrr,
        };

    public static SoftRunReport Full() => new()
    {
        Dataset = "lastfm",
        BaseModel = "stories260K",
        Seed = 42,
        Preset = "quick",
        Device = "cpu",
        Threads = 2,
        StartedAt = new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 29, 6, 2, 3, TimeSpan.Zero),
        PeakMemoryBytes = 1610612736, // 1.5 GiB
        Results =
        [
            new(ReportMethodNames.Sft, "grounding", Metrics(0, 0.04, 0.08, 0.12, 0, 0.021, 0.034, 0.045, 0.03)),
            new(ReportMethodNames.Soft, "grounding", Metrics(0.01, 0.05, 0.1, 0.15, 0.01, 0.03, 0.04, 0.05, 0.035)),
            new(ReportMethodNames.GuidanceOnly, "grounding", Metrics(0.02, 0.045, 0.09, 0.13, 0.02, 0.028, 0.038, 0.048, 0.033)),
        ],
        StageSeconds = new Dictionary<string, double> { ["items"] = 12.5, ["sft"] = 1800, ["distill"] = 600, ["soft"] = 1310.5 },
        Training = new Dictionary<string, MethodTraining>
        {
            [ReportMethodNames.Sft] = new()
            {
                StopReason = TrainingStopReason.EarlyStopped,
                BestEpoch = 1,
                MetricName = "HR@10",
                EpochRecords =
                [
                    Epoch(1, lambda: 0, distance: null, real: 3.2, distilled: null, combined: 3.2, hr10: 0.07, ndcg10: 0.03),
                    Epoch(2, lambda: 0, distance: null, real: 2.9, distilled: null, combined: 2.9, hr10: 0.05, ndcg10: 0.02),
                ],
            },
            [ReportMethodNames.Soft] = new()
            {
                StopReason = TrainingStopReason.MaxEpochs,
                BestEpoch = 2,
                MetricName = "HR@10",
                InitialDistance = 2.0,
                EpochRecords =
                [
                    Epoch(1, lambda: 1.0, distance: 1.5, real: 3.3, distilled: 1.6, combined: 1.6, hr10: 0.06, ndcg10: 0.025),
                    Epoch(2, lambda: 0.7788, distance: 1.2, real: 3.0, distilled: 1.5, combined: 1.9, hr10: 0.09, ndcg10: 0.04),
                ],
            },
        },
        Distillation = new DistillationDiagnostics { Prompts = 64, Agreement = 0.125, DistinctTargets = 9, DistinctTrueTargets = 51 },
        Notes = ["Tiny model: numbers show the pipeline works, not the paper's gains."],
    };

    public static EpochRecord Epoch(int epoch, double lambda, double? distance, double? real, double? distilled, double combined, double hr10, double ndcg10) => new()
    {
        Epoch = epoch,
        Lambda = lambda,
        Distance = distance,
        RealLoss = real,
        DistilledLoss = distilled,
        CombinedLoss = combined,
        Validation = new Dictionary<string, double> { ["HR@10"] = hr10, ["NDCG@10"] = ndcg10 },
        Steps = 8,
        LearningRate = 1e-4,
        Seconds = 900.5,
        TrainSeconds = 850.25,
    };
}
