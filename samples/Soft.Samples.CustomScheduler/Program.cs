using Soft.Data;
using Soft.Distillation;
using Soft.Metrics;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Samples.CustomScheduler;

// dotnet run -c Release --project samples/Soft.Samples.CustomScheduler -- [run folder]
// A small SOFT run on the embedded LastFM data whose curriculum is ValidationPlateauScheduler.
string runFolder = args.Length > 0 ? args[0] : "runs/custom-scheduler";
string model = Path.Combine(AppContext.BaseDirectory, "models", "stories260K");

using var trainer = new SoftTrainerBuilder()
    .UsePreset(SoftPresets.CpuName)
    .Configure(o =>
    {
        o.Threads = 2;
        o.EvaluateBaseModel = false;
        o.Sft.MaxEpochs = o.Soft.MaxEpochs = 3;
    })
    .UseLanguageModel(model)
    .UseEmbeddedLastFm(new DatasetOptions { TrainSubset = 256, ValidSubset = 64, TestSubset = 100 })
    .UseCurriculumScheduler(new ValidationPlateauScheduler())
    .UseBeamSelfDistiller()
    .AddGroundingEvaluator()
    .Build();

var report = await trainer.RunAsync(runFolder, new Progress<PipelineProgress>(p =>
{
    if (p.Done is null || p.Done == p.Total)
        Console.WriteLine($"{p.Stage}: {p.Message}");
}));

Console.WriteLine();
Console.WriteLine("epoch  lambda");
foreach (var epoch in report.Training[ReportMethodNames.Soft].EpochRecords)
    Console.WriteLine($"{epoch.Epoch,5}  {epoch.Lambda:F3}");
foreach (var result in report.Results)
    Console.WriteLine($"{result.Method} ({result.Evaluator}): HR@10 {result.Metrics["HR@10"]:F4}, NDCG@10 {result.Metrics["NDCG@10"]:F4}");
