using Soft.Reporting;

namespace Soft.Tests.Reporting;

/// <summary>A fixed, hand-written report: three methods, a three-epoch curriculum, training logs and timings.</summary>
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
        Curriculum =
        [
            new CurriculumPoint { Epoch = 0, Lambda = null, Distance = 2.0 },
            new CurriculumPoint { Epoch = 1, Lambda = 1.0, Distance = 1.5 },
            new CurriculumPoint { Epoch = 2, Lambda = 0.7788, Distance = 1.2 },
        ],
        StageSeconds = new Dictionary<string, double> { ["items"] = 12.5, ["sft"] = 1800, ["distill"] = 600, ["soft"] = 1310.5 },
        TrainingLog = new Dictionary<string, IReadOnlyList<TrainingLogEntry>>
        {
            [ReportMethodNames.Sft] =
            [
                new TrainingLogEntry { Epoch = 1, TrainLoss = 3.2, RealLoss = 3.2, Lambda = 0, Validation = new Dictionary<string, double> { ["HR@10"] = 0.05, ["NDCG@10"] = 0.02 } },
                new TrainingLogEntry { Epoch = 2, TrainLoss = 2.9, RealLoss = 2.9, Lambda = 0, Validation = new Dictionary<string, double> { ["HR@10"] = 0.07, ["NDCG@10"] = 0.03 } },
            ],
            [ReportMethodNames.Soft] =
            [
                new TrainingLogEntry { Epoch = 1, TrainLoss = 1.6, RealLoss = 3.3, DistilledLoss = 1.6, Lambda = 1.0, Distance = 1.5, Validation = new Dictionary<string, double> { ["HR@10"] = 0.06, ["NDCG@10"] = 0.025 } },
                new TrainingLogEntry { Epoch = 2, TrainLoss = 1.9, RealLoss = 3.0, DistilledLoss = 1.5, Lambda = 0.7788, Distance = 1.2, Validation = new Dictionary<string, double> { ["HR@10"] = 0.09, ["NDCG@10"] = 0.04 } },
            ],
        },
        Notes = ["Tiny model: numbers show the pipeline works, not the paper's gains."],
    };
}
