using Soft.Pipeline;
using Soft.Runs;

namespace Soft.Tests.Pipeline;

public sealed class RunLifetimeTests
{
    private const string Config = """{ "seed": 42 }""";
    private static readonly DateTimeOffset First = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_resumed_run_keeps_the_first_start_and_the_highest_peak()
    {
        using var temp = new TempFolder();
        var first = RunLifetime.Open(RunFolder.Open(temp.Path, Config), First);
        first.RecordPeak(900).Should().Be(900);

        // The process is killed; the next one starts later and peaks lower.
        var resumed = RunLifetime.Open(RunFolder.Open(temp.Path, Config), First.AddHours(5));

        resumed.StartedAt.Should().Be(First);
        resumed.PeakMemoryBytes.Should().Be(900);
        resumed.RecordPeak(400).Should().Be(900);
        resumed.RecordPeak(1200).Should().Be(1200);
        RunLifetime.Open(RunFolder.Open(temp.Path, Config), First.AddHours(9)).PeakMemoryBytes.Should().Be(1200);
    }

    [Fact]
    public void The_start_is_saved_before_any_stage_finishes()
    {
        using var temp = new TempFolder();
        RunLifetime.Open(RunFolder.Open(temp.Path, Config), First);

        var reopened = RunLifetime.Open(RunFolder.Open(temp.Path, Config), First.AddDays(1));

        reopened.StartedAt.Should().Be(First);
        reopened.PeakMemoryBytes.Should().BeNull();
    }

    [Fact]
    public void A_forced_fresh_run_starts_a_new_record()
    {
        using var temp = new TempFolder();
        RunLifetime.Open(RunFolder.Open(temp.Path, Config), First).RecordPeak(900);

        var fresh = RunLifetime.Open(RunFolder.Open(temp.Path, """{ "seed": 43 }""", forceFresh: true), First.AddDays(1));

        fresh.StartedAt.Should().Be(First.AddDays(1));
        fresh.PeakMemoryBytes.Should().BeNull();
    }

    [Fact]
    public void A_damaged_record_names_the_file()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        RunLifetime.Open(run, First);
        File.WriteAllText(run.PathOf(RunLifetime.FileName), "{ \"StartedAt\": ");

        var act = () => RunLifetime.Open(RunFolder.Open(temp.Path, Config), First);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{RunLifetime.FileName}*");
    }
}
