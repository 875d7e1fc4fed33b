using Soft.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Soft.Benchmarks -- perf [--stories DIR] [--threads N] [--repeats N]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- soak [--steps N] [--every N] [--warmup N] [--tolerance-mib X]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- quality [--datasets lastfm,ml-100k] [--ml-100k DIR]
//            [--seeds 1,2,3] [--alphas 100,10,1,0.1] [--out DIR] [--threads N] [--train-samples N] [--test-samples N]
//            [--epochs N] [--pretraining-steps N] [--sasrec-epochs N] [--tiny] [--json FILE] [--doc docs/BENCHMARKS.md]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- pretraining [--datasets lastfm,ml-100k] [--shapes 64x2,96x4]
//            [--seed 1] [--steps 3000] [--every 100] [--lr 3e-3] [--threads 2]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- exact [--sizes 250,1000,all] [--prompts 16] [--threads N] [--repeats N]
string command = args.Length > 0 ? args[0] : "perf";
string stories = Option("--stories") ?? Path.Combine(FindShared(), "models", "stories260K");
int threads = int.Parse(Option("--threads") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
int repeats = int.Parse(Option("--repeats") ?? "5", System.Globalization.CultureInfo.InvariantCulture);

switch (command)
{
    case "perf":
        Console.WriteLine(PerformanceBenchmark.Run(stories, threads, repeats));
        return 0;
    case "pretraining":
        return PretrainingSweep.Run(Option, FindShared());
    case "quality":
        return QualityBenchmark.Run(QualitySettings.Parse(args, Option, FindShared()));
    case "exact":
        Console.WriteLine(ExactScoringBenchmark.Run(stories, threads, repeats,
            [.. (Option("--sizes") ?? "250,1000,all").Split(',').Select(s => s == "all" ? int.MaxValue : int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))],
            int.Parse(Option("--prompts") ?? "16", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "soak":
        return MemorySoak.Run(stories, threads,
            steps: int.Parse(Option("--steps") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
            every: int.Parse(Option("--every") ?? "50", System.Globalization.CultureInfo.InvariantCulture),
            warmup: int.Parse(Option("--warmup") ?? "200", System.Globalization.CultureInfo.InvariantCulture),
            toleranceMiB: double.Parse(Option("--tolerance-mib") ?? "16", System.Globalization.CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: perf, soak, quality, pretraining, exact.");
        return 2;
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindShared()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "shared");
        if (File.Exists(Path.Combine(candidate, "SOFT-REFERENCE.md")))
            return candidate;
    }
    throw new DirectoryNotFoundException("No shared/ folder found above the program; pass --stories DIR.");
}
