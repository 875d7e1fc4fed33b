using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class MovieLensDownloaderTests
{
    [SkippableFact]
    public async Task Downloads_verifies_unpacks_and_then_serves_from_the_cache()
    {
        byte[] zip = BuildMl100kZip();
        var archive = MovieLensArchive.Ml100K with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(zip)) };
        using var server = new LoopbackServer("/ml-100k.zip", zip);
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var downloader = new MovieLensDownloader(http, cache.Path) { BaseAddress = server.BaseAddress };

        string folder = await downloader.DownloadAsync(archive);
        string again = await downloader.DownloadAsync(archive);

        folder.Should().Be(Path.Combine(cache.Path, "ml-100k"));
        again.Should().Be(folder);
        server.Requests.Should().Be(1, "the second call finds the unpacked folder in the cache");
        File.ReadAllBytes(Path.Combine(folder, "u.data")).Should().Equal(File.ReadAllBytes(MovieLens100K.RequireFile("u.data")));
        var data = MovieLensReader.Read(folder);
        data.Interactions.Should().HaveCount(100_000);
        Directory.GetFileSystemEntries(cache.Path).Select(Path.GetFileName).Should().BeEquivalentTo("ml-100k", "ml-100k.zip");
    }

    [SkippableFact]
    public async Task A_download_with_the_wrong_checksum_is_discarded()
    {
        byte[] zip = BuildMl100kZip();
        using var server = new LoopbackServer("/ml-100k.zip", zip);
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var downloader = new MovieLensDownloader(http, cache.Path) { BaseAddress = server.BaseAddress };

        // The real GroupLens checksum cannot match a zip built here.
        var act = () => downloader.DownloadAsync(MovieLensArchive.Ml100K);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain(MovieLensArchive.Ml100K.Sha256);
        Directory.GetFileSystemEntries(cache.Path).Should().BeEmpty("neither the partial download nor a folder may stay behind");
    }

    [Fact]
    public async Task A_missing_file_on_the_server_is_an_http_error()
    {
        using var server = new LoopbackServer("/other.zip", [1, 2, 3]);
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var downloader = new MovieLensDownloader(http, cache.Path) { BaseAddress = server.BaseAddress };

        var act = () => downloader.DownloadAsync(MovieLensArchive.Ml1M);

        await act.Should().ThrowAsync<HttpRequestException>();
        Directory.GetFileSystemEntries(cache.Path).Should().BeEmpty();
    }

    private static byte[] BuildMl100kZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("ml-100k/");
            foreach (string name in new[] { "u.data", "u.item", "u.genre", "README" })
                zip.CreateEntryFromFile(MovieLens100K.RequireFile(name), "ml-100k/" + name, CompressionLevel.Fastest);
        }
        return buffer.ToArray();
    }

    /// <summary>An HTTP server on 127.0.0.1 that serves one file and answers 404 to anything else.</summary>
    private sealed class LoopbackServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _requests;

        public LoopbackServer(string path, byte[] body)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseAddress.ToString());
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }
                    Interlocked.Increment(ref _requests);
                    using var response = context.Response;
                    if (context.Request.Url?.AbsolutePath == path)
                    {
                        response.ContentLength64 = body.Length;
                        await response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        response.StatusCode = 404;
                    }
                }
            });
        }

        public Uri BaseAddress { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
