extern alias SoftApi;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Soft.Reporting;
using Soft.Serving;
using Soft.Tests.Serving;

namespace Soft.Tests.Samples;

/// <summary>
/// The tiny item-token run exported as a bundle, and the API sample hosted over it in-process (the real ASP.NET
/// pipeline on a test server): as configured by default, with micro-batching on, and with lenient answer rules.
/// </summary>
public sealed class SoftApiFixture : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<IDisposable> _factories = [];

    public SoftApiFixture()
    {
        Run = new TinyItemTokenRun();
        Bundle = _folder.Combine("bundle");
        SoftRecommender.Export(Run.Folder, ReportMethodNames.Soft, Bundle);
        Plain = Host();
        // A long wait and small batches, so that concurrent requests really share batches, and more than one batch runs.
        Batched = Host(("Soft:MicroBatching:Enabled", "true"), ("Soft:MicroBatching:MaxBatchSize", "8"), ("Soft:MicroBatching:MaxDelayMilliseconds", "20"));
        Lenient = Host(("Soft:UnknownItems", "Skip"), ("Soft:EmptyHistory", "MostPopular"));
    }

    /// <summary>The run the bundle came from.</summary>
    public TinyItemTokenRun Run { get; }

    /// <summary>The exported bundle.</summary>
    public string Bundle { get; }

    /// <summary>The service as configured by default (no micro-batching, errors on unknown items and empty histories).</summary>
    public WebApplicationFactory<SoftApi::Program> Plain { get; }

    /// <summary>The service with micro-batching on.</summary>
    public WebApplicationFactory<SoftApi::Program> Batched { get; }

    /// <summary>The service that skips unknown items and answers an empty history with the popularity list.</summary>
    public WebApplicationFactory<SoftApi::Program> Lenient { get; }

    /// <summary>The service over the bundle with these settings (configuration keys) on top of its appsettings.json.</summary>
    public WebApplicationFactory<SoftApi::Program> Host(params (string Key, string? Value)[] settings)
    {
        var factory = new WebApplicationFactory<SoftApi::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Soft:Path", Bundle);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        });
        _factories.Add(factory);
        return factory;
    }

    public void Dispose()
    {
        foreach (var factory in _factories)
            factory.Dispose();
        Run.Dispose();
        _folder.Dispose();
    }
}
