using Soft.Reporting;

namespace Soft.Tests.Reporting;

public sealed class PeakMemoryTests
{
    [Fact]
    public void VmHWM_is_read_in_kibibytes()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 9000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";

        PeakMemory.ParseStatusField(status, "VmHWM").Should().Be(123456L * 1024);
        PeakMemory.ParseStatusField(status, "VmRSS").Should().Be(100000L * 1024);
    }

    [Theory]
    [InlineData("Name:\tdotnet\nVmRSS:\t 1 kB\n")]
    [InlineData("VmHWM:\t lots kB\n")]
    [InlineData("VmHWM:\t 12 MB\n")]
    public void Missing_or_malformed_VmHWM_gives_null(string status) =>
        PeakMemory.ParseStatusField(status, "VmHWM").Should().BeNull();

    [Fact]
    public void Peak_is_at_least_the_resident_memory_measured_before_it()
    {
        // The high-water mark never falls, so it cannot be below an earlier reading of the resident set.
        long resident = Environment.WorkingSet;

        long peak = PeakMemory.GetPeakBytes();

        peak.Should().BeGreaterThanOrEqualTo(resident);
        peak.Should().BeLessThan(1L << 40);
    }
}
