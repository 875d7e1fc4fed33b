using Soft.Recommenders;

namespace Soft.Samples.Api;

/// <summary>The service's settings, section <c>Soft</c> (appsettings.json, environment <c>Soft__Path</c>, or <c>--bundle</c>).</summary>
public sealed class SoftApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Soft";

    // Model

    /// <summary>An exported bundle (<c>export</c> verb of the quickstart) or a finished run folder. Required.</summary>
    public string? Path { get; set; }

    /// <summary>The method to serve; null for the bundle's one method, or SOFT from a run folder.</summary>
    public string? Method { get; set; }

    /// <summary>libtorch threads; null leaves libtorch's default (all cores).</summary>
    public int? Threads { get; set; }

    // Answers

    /// <summary>History entries that name no item: a 400 naming them (<see cref="UnknownItemHandling.Throw"/>, the default) or skipped and listed in the answer.</summary>
    public UnknownItemHandling UnknownItems { get; set; } = UnknownItemHandling.Throw;

    /// <summary>An empty history: a 400 (<see cref="EmptyHistoryHandling.Throw"/>, the default) or the training popularity list.</summary>
    public EmptyHistoryHandling EmptyHistory { get; set; } = EmptyHistoryHandling.Throw;

    // Limits on requests

    /// <summary>The largest request body read, in bytes; a larger one is a 400. Default value is 65536.</summary>
    public int MaxBodyBytes { get; set; } = 65536;

    /// <summary>The most history entries a request may send (the model reads only its most recent window). Default value is 500.</summary>
    public int MaxHistoryItems { get; set; } = 500;

    /// <summary>The most items one <c>GET /items</c> returns (its <c>limit</c>'s upper bound). Default value is 50.</summary>
    public int MaxSearchResults { get; set; } = 50;

    /// <summary>Micro-batching of concurrent requests; off by default.</summary>
    public MicroBatchingOptions MicroBatching { get; set; } = new();
}
