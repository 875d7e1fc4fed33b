using Soft.Samples.Quickstart;
using Spectre.Console.Cli;

// dotnet run -c Release --project samples/Soft.Samples.Quickstart -- [--dataset lastfm] [--model DIR] [--preset cpu] [--seed 42] [--out DIR]
var app = new CommandApp<QuickstartCommand>();
app.Configure(c => c.SetApplicationName("Soft.Samples.Quickstart"));
return await app.RunAsync(args);
