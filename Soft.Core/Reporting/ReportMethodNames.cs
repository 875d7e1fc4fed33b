namespace Soft.Reporting;

/// <summary>
/// The method names a report uses in <see cref="SoftRunReport.Results"/> and as keys of
/// <see cref="SoftRunReport.Training"/>; the renderers compare SOFT against SFT by these names.
/// </summary>
public static class ReportMethodNames
{
    /// <summary>Plain supervised fine-tuning on the real targets (the "Tuning-Only" baseline, BIGRec).</summary>
    public const string Sft = "SFT";

    /// <summary>Self-optimized fine-tuning: real and distilled targets mixed by the adaptive curriculum.</summary>
    public const string Soft = Serving.SoftRecommender.DefaultMethod;

    /// <summary>The untuned base model, only prompted (no fine-tuning).</summary>
    public const string GuidanceOnly = "Guidance-only";

    /// <summary>The ablation "SOFT without self-adaptation" (λ = 1: distilled data only).</summary>
    public const string WithoutSelfAdaptation = "SOFT w/o self-adaptation";
}
