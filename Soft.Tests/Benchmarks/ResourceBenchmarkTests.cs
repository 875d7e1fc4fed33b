using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

public sealed class ResourceBenchmarkTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void The_document_has_the_command_a_row_per_configuration_the_steps_check_and_the_rule()
    {
        var grid = ResourceGrid.Parse(["memory", "--steps", "4"], name => name == "--steps" ? "4" : null);
        var small = PeakMemoryRuleTests.Result(4873, 18, 683 * MiB, ("data", 200 * MiB), ("base", 683 * MiB));
        var large = PeakMemoryRuleTests.Result(8433, 433, 1281 * MiB, ("data", 200 * MiB), ("base", 918 * MiB), ("soft", 1281 * MiB)) with
        {
            MeanTitleCharacters = 180,
            Configuration = new ResourceConfiguration { ItemTokens = false, TitleCharacters = 180, History = 10, Steps = 4, ValidationSamples = 8, TestSamples = 1 },
        };
        var check = large with { Configuration = grid.StepsCheck(large.Configuration), PeakBytes = 1290 * MiB, TrainSamples = 192 };
        var rule = PeakMemoryRule.Fit([small, large]);

        string md = ResourceBenchmark.Markdown(grid, [small, large], large, check, rule, [2.0, 9.5], TimeSpan.FromMinutes(3));

        md.Should().StartWith("```bash\ndotnet run -c Release --project benchmarks/Soft.Benchmarks -- memory --steps 4\n```");
        md.Should().Contain("| titles | lastfm (11.5) | 3.5 | 10 | — | 4,873 | 18 | 20 | 0 | **683** | base | 683 |");
        md.Should().Contain("| titles | 180 | 3.5 | 10 | — | 8,433 | 433 | 435 | 0 | **1281** | soft | 1281 |");
        md.Should().Contain("The highest row with titles 180 (the titles model, history 10) again with 12 steps instead of 4 (192 training samples, L 433): peak **1290 MiB** against 1281 MiB (+9 MiB)");
        md.Should().Contain("load average 2.0–9.5");
        md.Should().Contain("peak ≈ **");
        md.Should().Contain("bytes × V × 32 × max(128, L)**");
    }
}
