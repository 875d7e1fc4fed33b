using System.Globalization;
using Soft.Pipeline;

namespace Soft.Samples.Quickstart;

/// <summary>
/// Progress for a console that is not a terminal (CI, <c>| tee</c>, a log file): one line when a stage starts and one
/// when a training epoch starts, instead of a redrawn bar.
/// </summary>
internal sealed class PlainProgress(TextWriter output) : IProgress<PipelineProgress>
{
    private readonly Lock _gate = new();
    private string? _stage;
    private int? _epoch;

    public void Report(PipelineProgress value)
    {
        lock (_gate)
        {
            if (value.Stage == _stage && value.Epoch == _epoch)
                return;
            bool newStage = value.Stage != _stage;
            (_stage, _epoch) = (value.Stage, value.Epoch);
            string line = newStage || value.Epoch is null
                ? $"{value.Stage}: {value.Message}"
                : string.Create(CultureInfo.InvariantCulture, $"{value.Stage}: epoch {value.Epoch}{(value.Lambda is double lambda ? $", λ {lambda:F2}" : "")}");
            output.WriteLine(line);
            output.Flush();
        }
    }
}
