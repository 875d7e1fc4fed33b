using Soft.Samples.Quickstart;

// dotnet run -c Release --project samples/Soft.Samples.Quickstart -- [--dataset lastfm] [--model DIR] [--preset cpu] [--seed 42] [--out DIR]
// dotnet run -c Release --project samples/Soft.Samples.Quickstart -- export [--out DIR] [--method SOFT] [--bundle DIR]
return await QuickstartApp.RunAsync(args);
