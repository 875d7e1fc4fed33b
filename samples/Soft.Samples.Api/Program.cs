using Microsoft.Extensions.Options;
using Soft.Recommenders;
using Soft.Runtime;
using Soft.Samples.Api;
using Soft.Serving;

// dotnet run -c Release --project samples/Soft.Samples.Api -- --bundle runs/quickstart-bundle [--urls http://127.0.0.1:5000]
//     [--method SOFT] [--threads N] [--micro-batching true]; every setting also as Soft:… in appsettings.json or Soft__… in the environment.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--bundle"] = "Soft:Path",
    ["--method"] = "Soft:Method",
    ["--threads"] = "Soft:Threads",
    ["--micro-batching"] = "Soft:MicroBatching:Enabled",
});
var section = builder.Configuration.GetSection(SoftApiOptions.Section);
builder.Services.AddOptionsWithValidateOnStart<SoftApiOptions, SoftApiOptionsValidator>().Bind(section);
// Without a path the options' validation below stops the service, naming the setting.
if (section[nameof(SoftApiOptions.Path)] is { Length: > 0 } path)
{
    builder.Services.AddSoftRecommender(path, o =>
    {
        o.Method = section[nameof(SoftApiOptions.Method)];
        o.UnknownItems = section.GetValue(nameof(SoftApiOptions.UnknownItems), UnknownItemHandling.Throw);
        o.EmptyHistory = section.GetValue(nameof(SoftApiOptions.EmptyHistory), EmptyHistoryHandling.Throw);
    });
}
builder.Services.AddSingleton(provider => new ItemSearch(provider.GetRequiredService<SoftRecommender>().Catalog));
builder.Services.AddSingleton<RecommendationBatcher>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<RecommendationBatcher>());
// Problem details for what the endpoints do not answer themselves: unknown routes, wrong verbs, and faults of the service.
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();

// Checked and loaded before the first request: a wrong path or setting stops the service here, with its message,
// and the first request does not pay for loading the model (or verifying a bundle's checksums).
var settings = app.Services.GetRequiredService<IOptions<SoftApiOptions>>().Value;
if (settings.Threads is int threads)
    SoftRuntime.Initialize(new SoftRuntimeOptions { Threads = threads });
var recommender = app.Services.GetRequiredService<SoftRecommender>();
app.Logger.LogInformation("Serving {Method} from {Path}: {Items} items, micro-batching {Batching}.", recommender.Method, settings.Path, recommender.Catalog.Count, settings.MicroBatching.Enabled ? "on" : "off");

app.MapSoftApi();
app.Run();

/// <summary>The entry point, public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
