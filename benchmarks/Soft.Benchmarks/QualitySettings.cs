using System.Globalization;

namespace Soft.Benchmarks;

/// <summary>Command-line settings of the <c>quality</c> benchmark.</summary>
internal sealed record QualitySettings
{
    public required IReadOnlyList<string> Datasets { get; init; }
    public required string MovieLensPath { get; init; }
    public required IReadOnlyList<long> Seeds { get; init; }
    public required IReadOnlyList<double> Alphas { get; init; }
    public required IReadOnlyList<string> BaseModels { get; init; }
    public required string StoriesPath { get; init; }
    public required string Out { get; init; }
    public required int Threads { get; init; }
    public int Jobs { get; init; } = 1;
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }
    public required QualityRegime Regime { get; init; }
    public int? MaxEpochs { get; init; }
    public int? Patience { get; init; }
    public IReadOnlyList<string> Variants { get; init; } = DefaultVariants;

    /// <summary>
    /// The SOFT variants <c>--variants</c> can name beside SFT and SOFT (α variants follow <c>--alphas</c>):
    /// the paper's ablation; soft-label SOFT; soft labels at temperature 2; soft labels with λ = 1 throughout (the
    /// born-again student, which learns from the teacher's distribution alone); soft labels with λ = 0.5 throughout
    /// (knowledge distillation's usual fixed mix of teacher and truth, which says what the adaptive λ adds to it).
    /// </summary>
    public static readonly IReadOnlyList<string> VariantNames = ["ablation", "soft-labels", "soft-labels-t2", "soft-labels-only", "soft-labels-half"];

    /// <summary>The variants run when <c>--variants</c> is not given (the documented runs' set, so their folders resume).</summary>
    public static readonly IReadOnlyList<string> DefaultVariants = ["ablation", "soft-labels"];
    public double? LearningRate { get; init; }
    public int? PretrainingSteps { get; init; }
    public int? SasRecEpochs { get; init; }
    public bool SasRecTransitions { get; init; }
    public bool Tiny { get; init; }
    public bool SummaryOnly { get; init; }

    /// <summary>
    /// <c>--runs DIR,DIR</c> (with <c>--summary-only</c>): the run roots searched, in order, for each dataset and seed's
    /// finished folder, so that one summary pools runs made under different <c>--out</c> folders; default: <see cref="Out"/>.
    /// </summary>
    public IReadOnlyList<string> Runs { get; init; } = [];
    public string? Doc { get; init; }
    public string? Json { get; init; }
    public required string CommandLine { get; init; }

    public static QualitySettings Parse(string[] args, Func<string, string?> option, string shared)
    {
        static IReadOnlyList<T> List<T>(string text, Func<string, T> parse) =>
            [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];
        int? Int(string name) => option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        var settings = new QualitySettings
        {
            Datasets = List(option("--datasets") ?? "lastfm,ml-100k", s => s),
            MovieLensPath = option("--ml-100k") ?? Path.Combine(shared, "datasets", "ml-100k"),
            Seeds = List(option("--seeds") ?? "1,2,3", s => long.Parse(s, CultureInfo.InvariantCulture)),
            Alphas = List(option("--alphas") ?? "100,10,1,0.1", s => double.Parse(s, CultureInfo.InvariantCulture)),
            BaseModels = List(option("--base-models") ?? string.Join(',', QualityBaseModels.Names), QualityBaseModels.Parse),
            StoriesPath = option("--stories") ?? Path.Combine(shared, "models", "stories260K"),
            Out = option("--out") ?? "runs/quality",
            Threads = Int("--threads") ?? 2,
            Jobs = Int("--jobs") ?? 1,
            Arguments = args,
            TrainSamples = Int("--train-samples"),
            TestSamples = Int("--test-samples"),
            Regime = QualityRegime.Parse(option("--regime") ?? QualityRegime.DefaultName),
            MaxEpochs = Int("--epochs"),
            Patience = Int("--patience"),
            Variants = List(option("--variants") ?? string.Join(',', DefaultVariants), s => s),
            LearningRate = option("--lr") is { } lr ? double.Parse(lr, CultureInfo.InvariantCulture) : null,
            PretrainingSteps = Int("--pretraining-steps"),
            SasRecEpochs = Int("--sasrec-epochs"),
            SasRecTransitions = args.Contains("--sasrec-transitions"),
            Tiny = args.Contains("--tiny"),
            SummaryOnly = args.Contains("--summary-only"),
            Runs = option("--runs") is { } runs ? List(runs, s => s) : [],
            Doc = option("--doc"),
            Json = option("--json"),
            CommandLine = "dotnet run -c Release --project benchmarks/Soft.Benchmarks -- " + string.Join(' ', args),
        };
        foreach (string dataset in settings.Datasets)
        {
            if (dataset is not ("lastfm" or "ml-100k"))
                throw new ArgumentException($"--datasets: unknown dataset '{dataset}'; known: lastfm, ml-100k.");
        }
        if (settings.Seeds.Count == 0 || settings.Alphas.Count == 0 || settings.BaseModels.Count == 0)
            throw new ArgumentException("--seeds, --alphas and --base-models need at least one value each.");
        if (settings.Variants.FirstOrDefault(v => !VariantNames.Contains(v)) is { } unknown)
            throw new ArgumentException($"--variants: unknown variant '{unknown}'; known: {string.Join(", ", VariantNames)}.");
        if (settings.Patience < 0)
            throw new ArgumentException($"--patience must be at least 0 (0: no early stopping); got {settings.Patience}.");
        if (settings.Runs.Count > 0 && !settings.SummaryOnly)
            throw new ArgumentException("--runs names the run roots a summary reads; it needs --summary-only (a run writes under --out).");
        if (settings.Jobs < 1)
            throw new ArgumentException($"--jobs must be at least 1; got {settings.Jobs}.");
        if (settings.Alphas.Any(a => !double.IsFinite(a) || a <= 0))
            throw new ArgumentException("--alphas: every α must be a positive number.");
        return settings;
    }
}
