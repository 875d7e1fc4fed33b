using Soft.Reporting;
using Soft.Samples.Quickstart;

namespace Soft.Tests.Quickstart;

public sealed class SoftTrailsSftTests
{
    private static SoftRunReport Report(double sft, double soft) => new()
    {
        Dataset = "lastfm",
        BaseModel = "scratch LLaMA (64 wide, 2 layers) pre-trained up to 3000 steps, early-stopped",
        Seed = 42,
        Results =
        [
            new MethodResult(ReportMethodNames.Sft, "exact", new Dictionary<string, double> { ["NDCG@10"] = sft }),
            new MethodResult(ReportMethodNames.Soft, "exact", new Dictionary<string, double> { ["NDCG@10"] = soft }),
        ],
    };

    [Fact]
    public void The_quickstart_says_plainly_when_soft_trails_sft_and_where_the_explanation_is()
    {
        QuickstartCommand.SoftTrailsSft(Report(sft: 0.2422, soft: 0.2103)).Should()
            .Contain("SOFT trails SFT here (NDCG@10 0.2103 vs 0.2422)").And.Contain("already learnt every training transition")
            .And.Contain("docs/SELF-DISTILLATION.md");
    }

    [Fact]
    public void The_why_measured_on_the_scratch_base_is_not_claimed_for_another_base()
    {
        QuickstartCommand.SoftTrailsSft(Report(sft: 0.2422, soft: 0.2103) with { BaseModel = "stories260K" }).Should()
            .Contain("SOFT trails SFT here").And.NotContain("already learnt every training transition").And.Contain("docs/SELF-DISTILLATION.md");
    }

    [Fact]
    public void Nothing_is_said_when_soft_is_at_or_above_sft_or_did_not_run()
    {
        QuickstartCommand.SoftTrailsSft(Report(sft: 0.2, soft: 0.2)).Should().BeNull();
        QuickstartCommand.SoftTrailsSft(Report(sft: 0.2, soft: 0.25)).Should().BeNull();
        QuickstartCommand.SoftTrailsSft(Report(sft: 0.2, soft: 0.25) with { Results = [new MethodResult(ReportMethodNames.Sft, "exact", new Dictionary<string, double> { ["NDCG@10"] = 0.2 })] })
            .Should().BeNull();
    }
}
