using Soft.Reporting;
using Soft.Samples.Reporting;
using Spectre.Console.Testing;

namespace Soft.Tests.Reporting;

public sealed class ReportConsoleTests
{
    [Fact]
    public void Metrics_table_has_a_row_per_metric_a_column_per_method_and_the_gain()
    {
        var console = new TestConsole().Width(80);

        console.Write(ReportConsole.MetricsTable(ReportSamples.Full()));

        var lines = console.Lines;
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= 80, "the table fits an 80-column terminal");
        lines.Should().ContainSingle(l => l.Contains("Metric", StringComparison.Ordinal))
            .Which.Should().ContainAll("SFT", "SOFT", "Guidance-only", "SOFT vs SFT");
        Row(lines, "HR@1").Should().ContainAll("0.0000", "0.0100", "0.0200", "n/a");
        Row(lines, "HR@10").Should().ContainAll("0.0800", "0.1000", "0.0900", "+25.0 %");
        Row(lines, "NDCG@20").Should().ContainAll("0.0450", "0.0500", "0.0480", "+11.1 %");
        Row(lines, "MRR").Should().ContainAll("0.0300", "0.0350", "0.0330");
        foreach (string metric in new[] { "HR@5", "HR@20", "NDCG@1", "NDCG@5", "NDCG@10" })
            Row(lines, metric).Should().NotBeEmpty();
    }

    [Fact]
    public void Best_values_are_highlighted_when_colours_are_on()
    {
        var console = new TestConsole().Width(80).EmitAnsiSequences();

        console.Write(ReportConsole.MetricsTable(ReportSamples.Full()));

        // Bold is SGR parameter 1; SOFT's HR@10 of 0.1000 is the row's best, SFT's 0.0800 is not.
        string hr10 = Row(console.Lines, "HR@10");
        hr10.Should().MatchRegex(@"\x1b\[1;[0-9;]*m0\.1000");
        hr10.Should().NotMatchRegex(@"\x1b\[[0-9;]*m0\.0800");
    }

    private static string Row(IEnumerable<string> lines, string metric) =>
        lines.Single(l => l.Contains($" {metric} ", StringComparison.Ordinal));

    [Fact]
    public void Training_table_shows_per_method_stop_lambda_distance_and_both_losses_per_epoch()
    {
        var console = new TestConsole().Width(80);

        ReportConsole.Write(console, ReportSamples.Full());

        var lines = console.Lines;
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= 80, "the table fits an 80-column terminal");
        lines.Should().Contain(l => l.Contains("Training", StringComparison.Ordinal));
        TrainingRow(lines, "epochs").Should().ContainAll("2 run, kept 1", "2 run, kept 2");
        TrainingRow(lines, "stopped").Should().ContainAll("early (HR@10 flat)", "max epochs");
        TrainingRow(lines, "λ").Should().ContainAll("0.00 0.00", "1.00 0.78");
        TrainingRow(lines, "d").Should().ContainAll("—", "2.000 1.500 1.200");
        TrainingRow(lines, "loss on D").Should().ContainAll("3.200 2.900", "3.300 3.000");
        TrainingRow(lines, "loss on D̂").Should().ContainAll("—", "1.600 1.500");
        lines.Should().Contain(l => l.TrimEnd() == "D̂: agreement 12.5 % of 64 prompts, 9 distinct targets (D: 51)");
    }

    // A training row starts with its label in the first column; "epochs" also appears inside a cell ("max epochs").
    private static string TrainingRow(IEnumerable<string> lines, string label) =>
        lines.Single(l => l.StartsWith($"│ {label} ", StringComparison.Ordinal));

    [Fact]
    public void A_run_without_training_shows_only_the_metrics()
    {
        var console = new TestConsole().Width(200);

        ReportConsole.Write(console, ReportSamples.Full() with { Training = new Dictionary<string, MethodTraining>(), Distillation = null });

        console.Output.Should().Contain("Test metrics").And.NotContain("Training").And.NotContain("λ").And.NotContain("D̂");
    }
}
