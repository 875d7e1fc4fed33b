using Soft.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Soft.Benchmarks -- perf [--stories DIR] [--threads N] [--repeats N]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- soak [--steps N] [--every N] [--warmup N] [--tolerance-mib X]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- quality [--datasets lastfm,ml-100k] [--ml-100k DIR]
//            [--seeds 1,2,3] [--alphas 100,10,1,0.1] [--out DIR] [--threads N] [--jobs N] [--train-samples N] [--test-samples N]
//            [--epochs N] [--patience N] [--variants ablation,soft-labels,soft-labels-t2,soft-labels-only,soft-labels-half] [--pretraining-steps N] [--sasrec-epochs N] [--sasrec-transitions] [--base-models items,titles,stories260K] [--stories DIR]
//            [--tiny] [--summary-only] [--runs DIR,DIR] [--json FILE] [--doc docs/BENCHMARKS.md]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- pretraining [--datasets lastfm,ml-100k] [--shapes 64x2,96x4]
//            [--seed 1] [--steps 3000] [--every 100] [--lr 3e-3] [--threads 2]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- serving --path BUNDLE|RUN [--threads 1] [--seconds 30]
//            [--concurrency 1,8,32] [--requests 10000] [--singles 2000] [--batch-seconds 5] [--no-http] [--api Soft.Samples.Api.dll]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- memory [--models items,titles] [--title-chars lastfm,40,90,180]
//            [--histories 5,10,20,50] [--at-history 10] [--cross] [--cap 16|none] [--steps 4] [--check-factor 3]
//            [--valid-samples 8] [--test-samples 1] [--threads 1] [--json FILE] [--doc docs/BENCHMARKS.md]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- exact [--sizes 250,1000,all] [--prompts 16] [--threads N] [--repeats N]
//        dotnet run -c Release --project benchmarks/Soft.Benchmarks -- hf-reference --run RUN|--train-lora DIR [--out FILE] [--prompts 4]
string command = args.Length > 0 ? args[0] : "perf";
int threads = int.Parse(Option("--threads") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
int repeats = int.Parse(Option("--repeats") ?? "5", System.Globalization.CultureInfo.InvariantCulture);

switch (command)
{
    case "perf":
        Console.WriteLine(PerformanceBenchmark.Run(Stories(), threads, repeats));
        return 0;
    case "pretraining":
        return PretrainingSweep.Run(Option, FindShared());
    case "quality":
        return QualityBenchmark.Run(QualitySettings.Parse(args, Option, FindShared()));
    case "serving":
        return ServingBenchmark.Run(Option, args);
    case "memory":
        return ResourceBenchmark.Run(ResourceGrid.Parse(args, Option));
    case "memory-run":
        // One configuration of the memory benchmark, in a process of its own (the memory verb starts these).
        return ResourceRun.Run(ResourceConfiguration.Parse(Option));
    case "exact":
        Console.WriteLine(ExactScoringBenchmark.Run(Stories(), threads, repeats,
            [.. (Option("--sizes") ?? "250,1000,all").Split(',').Select(s => s == "all" ? int.MaxValue : int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))],
            int.Parse(Option("--prompts") ?? "16", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "hf-reference":
        // Reference outputs of a run's saved models for scripts/hf-check.py; --train-lora DIR first trains the small
        // stories260K + item tokens + LoRA run whose folders it then describes.
        if (Option("--train-lora") is { } loraRun)
            HfReference.TrainLoraRun(loraRun, Stories(), threads);
        return HfReference.Run(Option("--train-lora") ?? Option("--run") ?? throw new ArgumentException("hf-reference needs --run FOLDER (a finished run) or --train-lora FOLDER."),
            Option("--out") ?? "hf-reference.json",
            int.Parse(Option("--prompts") ?? "4", System.Globalization.CultureInfo.InvariantCulture));
    case "soak":
        return MemorySoak.Run(Stories(), threads,
            steps: int.Parse(Option("--steps") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
            every: int.Parse(Option("--every") ?? "50", System.Globalization.CultureInfo.InvariantCulture),
            warmup: int.Parse(Option("--warmup") ?? "200", System.Globalization.CultureInfo.InvariantCulture),
            toleranceMiB: double.Parse(Option("--tolerance-mib") ?? "16", System.Globalization.CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: perf, soak, quality, pretraining, serving, memory, exact, hf-reference.");
        return 2;
}

// Only the verbs that load stories260K look for shared/, so the memory benchmark also runs from a copied build.
string Stories() => Option("--stories") ?? Path.Combine(FindShared(), "models", "stories260K");

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
