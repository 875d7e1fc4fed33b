using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Soft.Data;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Runtime;
using Soft.Serving;

namespace Soft.Benchmarks;

/// <summary>
/// Serving speed of a trained run (issue #15): in-process latency of one request and throughput of batches, then the
/// API sample in a child process on loopback at several concurrencies, with and without micro-batching, and resident
/// memory before and after a fixed number of requests. Trains nothing: it takes a bundle or a finished run folder.
/// </summary>
/// <remarks>
/// Requests are histories drawn from the catalogue by training popularity (seeded), as long as the run's history window,
/// each asking for the top 10. The load generator runs on the same machine as the server, so on few cores it takes CPU
/// from it; the numbers are what one machine does with both, not the server alone.
/// </remarks>
internal static class ServingBenchmark
{
    private const int K = 10;
    private const int Histories = 4096;

    public static int Run(Func<string, string?> option, IReadOnlyList<string> args)
    {
        string path = option("--path") ?? throw new ArgumentException("serving needs --path: an exported bundle or a finished run folder.");
        int threads = Int(option("--threads") ?? "1");
        double seconds = double.Parse(option("--seconds") ?? "30", CultureInfo.InvariantCulture);
        int requests = Int(option("--requests") ?? "10000");
        int singles = Int(option("--singles") ?? "2000");
        double batchSeconds = double.Parse(option("--batch-seconds") ?? "5", CultureInfo.InvariantCulture);
        int[] concurrencies = [.. (option("--concurrency") ?? "1,8,32").Split(',').Select(Int)];
        bool http = !args.Contains("--no-http");

        var env = SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = threads, Seed = 1 });
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Model: `{path}`; libtorch threads {env.Threads} (OMP_NUM_THREADS={Environment.GetEnvironmentVariable("OMP_NUM_THREADS") ?? "unset"}); {Environment.ProcessorCount} logical CPUs; top-{K} per request; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        md.AppendLine();

        List<string[]> histories;
        using (var recommender = SoftRecommender.Load(path, new RecommenderOptions { Device = DevicePreference.Cpu }))
        {
            histories = DrawHistories(path, recommender.HistoryLength);
            md.AppendLine(CultureInfo.InvariantCulture, $"Method {recommender.Method}, {recommender.Catalog.Count:N0} items, {(recommender.ItemTokens ? "item tokens" : "titles")}, history window {recommender.HistoryLength}.");
            md.AppendLine();
            InProcess(recommender, histories, singles, batchSeconds, requests, md);
        }
        Console.Out.Write(md.ToString());
        Console.Out.Flush();
        if (!http)
            return 0;

        var httpMd = new StringBuilder();
        string api = option("--api") ?? FindApi();
        httpMd.AppendLine(CultureInfo.InvariantCulture, $"HTTP: `Soft.Samples.Api` in a child process on 127.0.0.1 (`--threads {threads}`, OMP_NUM_THREADS={threads}), client in this process (HttpClient, one connection per concurrent client), {seconds:0.#} s per row after a warm-up.");
        httpMd.AppendLine();
        httpMd.AppendLine("| micro-batching | concurrency | requests | errors | requests/s | p50 (ms) | p99 (ms) | max (ms) | mean batch |");
        httpMd.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var memory = new List<string>();
        foreach (bool batching in new[] { false, true })
        {
            using var server = ApiServer.Start(api, path, threads, batching);
            var bodies = histories.Select(h => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { history = h, k = K }))).ToArray();
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
            Load(client, bodies, concurrency: 8, duration: null, count: 500);
            foreach (int c in concurrencies)
            {
                var (batches0, batched0) = server.Batches(client);
                var result = Load(client, bodies, c, TimeSpan.FromSeconds(seconds), null);
                var (batches1, batched1) = server.Batches(client);
                string meanBatch = batches1 > batches0 ? ((batched1 - batched0) / (double)(batches1 - batches0)).ToString("F1", CultureInfo.InvariantCulture) : "–";
                httpMd.AppendLine(CultureInfo.InvariantCulture, $"| {(batching ? "on" : "off")} | {c} | {result.Count:N0} | {result.Errors} | {result.Count / result.Seconds:N0} | {result.P(0.50):F2} | {result.P(0.99):F2} | {result.Max:F1} | {meanBatch} |");
                Console.Error.WriteLine($"serving: batching {(batching ? "on" : "off")}, c={c}: {result.Count / result.Seconds:F0} req/s, p99 {result.P(0.99):F2} ms, {result.Errors} errors");
            }
            // Sampled half-way too: growth that stops (heaps reaching their working size) reads differently from growth that goes on.
            long before = server.ResidentBytes();
            var first = Load(client, bodies, concurrency: 32, duration: null, count: requests / 2);
            long half = server.ResidentBytes();
            var second = Load(client, bodies, concurrency: 32, duration: null, count: requests - requests / 2);
            long after = server.ResidentBytes();
            memory.Add(FormattableString.Invariant($"| {(batching ? "on" : "off")} | {requests:N0} at concurrency 32 | {first.Errors + second.Errors} | {Mib(before):F1} | {Mib(half):F1} | {Mib(after):F1} | {Mib(after - before):+0.0;-0.0;0.0} | {Mib(after - half):+0.0;-0.0;0.0} |"));
        }
        httpMd.AppendLine();
        httpMd.AppendLine("Server resident memory (VmRSS of the child process) after the rows above, before and after a further run of requests:");
        httpMd.AppendLine();
        httpMd.AppendLine("| micro-batching | requests | errors | RSS before (MiB) | half-way | after | change | second half |");
        httpMd.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string row in memory)
            httpMd.AppendLine(row);
        Console.Out.Write(httpMd.ToString());
        return 0;
    }

    private static void InProcess(SoftRecommender recommender, List<string[]> histories, int singles, double batchSeconds, int requests, StringBuilder md)
    {
        for (int i = 0; i < 200; i++)
            recommender.Recommend(histories[i % histories.Count], K);

        var latencies = new double[singles];
        for (int i = 0; i < singles; i++)
        {
            long start = Stopwatch.GetTimestamp();
            recommender.Recommend(histories[i % histories.Count], K);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var single = new Latencies(latencies, latencies.Sum() / 1000, 0);
        md.AppendLine(CultureInfo.InvariantCulture, $"In-process, one request at a time ({singles:N0} calls of `Recommend(history, {K})` after 200 warm-up calls): p50 **{single.P(0.50):F2} ms**, p99 **{single.P(0.99):F2} ms**, max {single.Max:F1} ms, mean {latencies.Average():F2} ms.");
        md.AppendLine();
        md.AppendLine("| batch (`RecommendMany`) | calls | recommendations/s | ms per call |");
        md.AppendLine("|---:|---:|---:|---:|");
        foreach (int size in new[] { 1, 8, 64 })
        {
            int calls = 0, next = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < batchSeconds || calls < 5)
            {
                var batch = new IReadOnlyList<string>[size];
                for (int j = 0; j < size; j++)
                    batch[j] = histories[next++ % histories.Count];
                recommender.RecommendMany(batch, K);
                calls++;
            }
            double elapsed = clock.Elapsed.TotalSeconds;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {size} | {calls:N0} | **{calls * size / elapsed:N0}** | {elapsed * 1000 / calls:F2} |");
        }
        md.AppendLine();
        long before = PeakMemory.GetResidentBytes();
        for (int i = 0; i < requests; i++)
            recommender.Recommend(histories[i % histories.Count], K);
        long after = PeakMemory.GetResidentBytes();
        md.AppendLine(CultureInfo.InvariantCulture, $"In-process resident memory: {Mib(before):F1} MiB before and {Mib(after):F1} MiB after {requests:N0} more single requests ({Mib(after - before):+0.0;-0.0;0.0} MiB).");
        md.AppendLine();
    }

    // Histories as long as the window, drawn by training count (popular items, as real users mostly listen to them), distinct within a history.
    private static List<string[]> DrawHistories(string path, int length)
    {
        var (catalog, counts) = CatalogFile.Read(Path.Combine(path, CatalogFile.FileName));
        var cumulative = new double[counts.Length];
        double total = 0;
        for (int i = 0; i < counts.Length; i++)
            cumulative[i] = total += counts[i] + 1;
        var random = new Random(1);
        var histories = new List<string[]>(Histories);
        for (int h = 0; h < Histories; h++)
        {
            var items = new List<string>(length);
            while (items.Count < Math.Min(length, catalog.Count))
            {
                int index = Array.BinarySearch(cumulative, random.NextDouble() * total);
                string id = catalog[index < 0 ? ~index : index].Id;
                if (!items.Contains(id))
                    items.Add(id);
            }
            histories.Add([.. items]);
        }
        return histories;
    }

    // `concurrency` clients, each sending the next body as soon as its last answer is read, for `duration` or until `count` requests.
    private static Latencies Load(HttpClient client, byte[][] bodies, int concurrency, TimeSpan? duration, int? count)
    {
        int issued = -1, errors = 0;
        var clock = Stopwatch.StartNew();
        var all = new List<double>[concurrency];
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = all[w] = new List<double>(4096);
            while (true)
            {
                int n = Interlocked.Increment(ref issued);
                if ((count is int c && n >= c) || (duration is { } d && clock.Elapsed >= d))
                    return;
                using var content = new ByteArrayContent(bodies[n % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsync("/recommendations", content).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK)
                        Interlocked.Increment(ref errors);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        Task.WaitAll(workers);
        return new Latencies([.. all.SelectMany(l => l)], clock.Elapsed.TotalSeconds, errors);
    }

    private static string FindApi()
    {
        // The API sample as this benchmark's build built it (the benchmark project references it for that).
        // …/bin/<configuration>/net10.0/
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "Soft.Samples.Api", "bin", configuration, "net10.0", "Soft.Samples.Api.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("Soft.Samples.Api.dll not found above the benchmark; build the solution, or pass --api PATH.");
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private sealed record Latencies(double[] Milliseconds, double Seconds, int Errors)
    {
        private readonly double[] _sorted = [.. Milliseconds.Order()];

        public int Count => Milliseconds.Length;

        public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

        // Nearest rank.
        public double P(double quantile) => _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(quantile * _sorted.Length) - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>The API sample in a child process, with as many libtorch threads as the benchmark, stopped on dispose.</summary>
    private sealed class ApiServer : IDisposable
    {
        private readonly Process _process;

        private ApiServer(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static ApiServer Start(string api, string path, int threads, bool batching)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var url = new Uri($"http://127.0.0.1:{port}");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { api, "--bundle", Path.GetFullPath(path), "--urls", url.ToString(), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--micro-batching", batching ? "true" : "false", "--Logging:LogLevel:Default=Warning" })
                start.ArgumentList.Add(arg);
            // OpenMP and MKL read these at start; the server's own --threads sets libtorch's pool as well.
            start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            start.Environment["MKL_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var log = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ApiServer(process, url);
            using var probeClient = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"The API exited with code {process.ExitCode}:\n{log}");
                try
                {
                    if (probeClient.GetAsync("/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                        return server;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
                Thread.Sleep(200);
            }
            server.Dispose();
            throw new TimeoutException($"The API did not answer /healthz within 2 minutes:\n{log}");
        }

        public (long Batches, long Requests) Batches(HttpClient client)
        {
            using var health = JsonDocument.Parse(client.GetStringAsync("/healthz").GetAwaiter().GetResult());
            return (health.RootElement.GetProperty("batches").GetInt64(), health.RootElement.GetProperty("batchedRequests").GetInt64());
        }

        public long ResidentBytes()
        {
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            return 0;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }
    }
}
