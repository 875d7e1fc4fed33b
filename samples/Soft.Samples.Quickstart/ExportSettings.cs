using System.ComponentModel;
using Soft.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Soft.Samples.Quickstart;

/// <summary>Command-line options of <c>export</c>.</summary>
internal sealed class ExportSettings : CommandSettings
{
    [CommandOption("--out <DIR>")]
    [Description("The run folder to export from (the quickstart's --out).")]
    [DefaultValue("runs/quickstart")]
    public string Out { get; init; } = "runs/quickstart";

    [CommandOption("--method <NAME>")]
    [Description("The method to export: SOFT (default), SFT, Guidance-only, or a variant's report name.")]
    [DefaultValue(ReportMethodNames.Soft)]
    public string Method { get; init; } = ReportMethodNames.Soft;

    [CommandOption("--bundle <DIR>")]
    [Description("The bundle folder to write; it must not exist yet or be empty. Default: the run folder's path + \"-bundle\".")]
    public string? Bundle { get; init; }

    /// <summary>The bundle folder, defaulted from the run folder.</summary>
    public string BundleFolder => Bundle ?? Path.TrimEndingDirectorySeparator(Out) + "-bundle";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out))
            return ValidationResult.Error("--out must name a run folder.");
        if (string.IsNullOrWhiteSpace(Method))
            return ValidationResult.Error("--method must name a method of the run (SOFT, SFT, Guidance-only, a variant).");
        if (Bundle is not null && string.IsNullOrWhiteSpace(Bundle))
            return ValidationResult.Error("--bundle must name a folder.");
        return ValidationResult.Success();
    }
}
