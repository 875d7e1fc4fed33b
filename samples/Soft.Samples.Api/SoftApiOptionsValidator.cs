using Microsoft.Extensions.Options;

namespace Soft.Samples.Api;

/// <summary>Checks <see cref="SoftApiOptions"/> at start, so a wrong setting stops the service before it takes traffic.</summary>
internal sealed class SoftApiOptionsValidator : IValidateOptions<SoftApiOptions>
{
    public ValidateOptionsResult Validate(string? name, SoftApiOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.Path))
            builder.AddError("must name an exported bundle or a run folder (--bundle DIR, or Soft__Path)", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.Path)}");
        else if (!Directory.Exists(options.Path))
            builder.AddError($"no folder '{options.Path}'", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.Path)}");
        if (options.Threads is < 1 or > 1024)
            builder.AddError($"must lie in 1 … 1024; got {options.Threads}", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.Threads)}");
        if (options.MaxBodyBytes is < 256 or > 16 << 20)
            builder.AddError($"must lie in 256 … {16 << 20}; got {options.MaxBodyBytes}", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.MaxBodyBytes)}");
        if (options.MaxHistoryItems is < 1 or > 100_000)
            builder.AddError($"must lie in 1 … 100000; got {options.MaxHistoryItems}", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.MaxHistoryItems)}");
        if (options.MaxSearchResults is < 1 or > 1000)
            builder.AddError($"must lie in 1 … 1000; got {options.MaxSearchResults}", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.MaxSearchResults)}");
        var batching = options.MicroBatching;
        if (batching is null)
        {
            builder.AddError("must be set", $"{SoftApiOptions.Section}:{nameof(SoftApiOptions.MicroBatching)}");
        }
        else
        {
            if (batching.MaxBatchSize is < 1 or > 4096)
                builder.AddError($"must lie in 1 … 4096; got {batching.MaxBatchSize}", $"{SoftApiOptions.Section}:MicroBatching:{nameof(MicroBatchingOptions.MaxBatchSize)}");
            if (!(batching.MaxDelayMilliseconds is >= 0 and <= 1000))
                builder.AddError($"must lie in 0 … 1000; got {batching.MaxDelayMilliseconds}", $"{SoftApiOptions.Section}:MicroBatching:{nameof(MicroBatchingOptions.MaxDelayMilliseconds)}");
        }
        return builder.Build();
    }
}
