extern alias SoftApi;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SoftApi::Soft.Samples.Api;
using Soft.Recommenders;
using Soft.Serving;

namespace Soft.Tests.Samples;

/// <summary>
/// samples/Soft.Samples.Api through the real HTTP pipeline: the library's answers, a problem-details 400 naming the
/// field for every bad request, a bounded title search, and micro-batched concurrent requests answering as sequential ones.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SoftApiTests(SoftApiFixture api) : IClassFixture<SoftApiFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IReadOnlyList<IReadOnlyList<string>> Histories => api.Run.TestHistories();

    [Fact]
    public async Task Recommends_what_the_library_recommends_and_reports_its_health()
    {
        using var client = api.Plain.CreateClient();
        using var library = SoftRecommender.Load(api.Bundle);
        foreach (var history in Histories.Take(4))
        {
            using var response = await client.PostAsJsonAsync("/recommendations", new { history, k = 5 });
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var answer = (await response.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!;
            var expected = library.Recommend(history, 5);
            answer.Method.Should().Be("SOFT");
            answer.Items.Select(i => (i.Id, i.Title, i.Rank)).Should().Equal(expected.Select(r => (r.ItemId, r.Title, r.Rank)));
            answer.Items.Select(i => i.Score!.Value).Should().Equal(expected.Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-9);
            answer.Skipped.Should().BeEmpty();
            answer.PopularityFallback.Should().BeFalse();
        }

        // k is optional (10), and a history may name items by exact title.
        var catalog = api.Run.Dataset.Catalog;
        string title = catalog.Items.First(i => catalog.IndicesWithTitle(i.Title).Count == 1).Title;
        using (var byTitle = await client.PostAsJsonAsync("/recommendations", new { history = new[] { title } }))
        {
            byTitle.StatusCode.Should().Be(HttpStatusCode.OK);
            (await byTitle.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!.Items.Should().HaveCount(10);
        }

        var health = (await client.GetFromJsonAsync<HealthResponse>("/healthz", Json))!;
        health.Should().BeEquivalentTo(new { Status = "ok", Method = "SOFT", Items = catalog.Count, ItemTokens = true, MicroBatching = false, Batches = 0L });
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{}", "history", "is required*" },
        { "{\"history\": []}", "history", "is empty*" },
        { "{\"history\": \"3\"}", "history", "must be an array of strings*" },
        { "{\"history\": [\"{id}\", 3]}", "history[1]", "must be a string*" },
        { "{\"history\": [\"{id}\", null, \" \"]}", "history[1]", "*not null or blank*" },
        { "{\"history\": [\"{id}\", \"no-such-artist\", \"nor-this\"]}", "history", "names no item of the catalogue: 'no-such-artist', 'nor-this'*" },
        { "{\"history\": [\"{id}\"], \"k\": 0}", "k", "must lie in 1 … {items}*got 0" },
        { "{\"history\": [\"{id}\"], \"k\": {items+1}}", "k", "must lie in 1 … {items}*" },
        { "{\"history\": [\"{id}\"], \"k\": \"ten\"}", "k", "must be a whole number" },
        { "{\"history\": [\"{id}\"], \"k\": 2.5}", "k", "must be a whole number" },
        { "{\"histroy\": [\"{id}\"]}", "histroy", "is not a field of this request*history, k" },
        { "{\"history\": [\"{id}\"", "body", "is not valid JSON*" },
        { "[\"{id}\"]", "body", "must be a JSON object" },
        { "", "body", "is empty*" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_request_is_a_400_problem_that_names_the_field(string body, string field, string message)
    {
        var catalog = api.Run.Dataset.Catalog;
        string Fill(string text) => text.Replace("{id}", Histories[0][0], StringComparison.Ordinal)
            .Replace("{items+1}", (catalog.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{items}", catalog.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var client = api.Plain.CreateClient();
        using var response = await client.PostAsync("/recommendations", new StringContent(Fill(body), Encoding.UTF8, "application/json"));
        await ShouldBeProblem(response, field, Fill(message));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_or_without_a_length_and_other_mistakes_are_problems_too()
    {
        using var client = api.Plain.CreateClient();
        byte[] big = Encoding.UTF8.GetBytes("{\"history\": [" + string.Join(",", Enumerable.Repeat($"\"{Histories[0][0]}\"", 20_000)) + "]}");
        big.Length.Should().BeGreaterThan(65536);
        using (var sized = await client.PostAsync("/recommendations", new ByteArrayContent(big) { Headers = { ContentType = new("application/json") } }))
            await ShouldBeProblem(sized, "body", $"is {big.Length} bytes; the limit is 65536 bytes");
        using var streamed = new HttpRequestMessage(HttpMethod.Post, "/recommendations") { Content = new StreamContent(new MemoryStream(big)) };
        streamed.Content.Headers.ContentType = new("application/json");
        streamed.Headers.TransferEncodingChunked = true;
        using (var chunked = await client.SendAsync(streamed))
            await ShouldBeProblem(chunked, "body", "is more than the limit of 65536 bytes");

        // Many entries within the byte limit are refused too: the model reads only the newest anyway.
        string many = "{\"history\": [" + string.Join(",", Enumerable.Repeat($"\"{Histories[0][0]}\"", 501)) + "]}";
        using (var tooMany = await client.PostAsync("/recommendations", new StringContent(many, Encoding.UTF8, "application/json")))
            await ShouldBeProblem(tooMany, "history", "has 501 entries; the limit is 500*");

        using (var text = await client.PostAsync("/recommendations", new StringContent("{}", Encoding.UTF8, "text/plain")))
        {
            text.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
            text.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        using (var nowhere = await client.GetAsync("/recommend"))
        {
            nowhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
            nowhere.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        using var verb = await client.GetAsync("/recommendations");
        verb.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Title_search_is_bounded_and_a_bad_query_or_limit_is_named()
    {
        using var client = api.Plain.CreateClient();
        var catalog = api.Run.Dataset.Catalog;
        // A two-letter piece of the first title: common enough to match several items.
        string piece = catalog[0].Title[..2].ToLowerInvariant();
        int matching = catalog.Items.Count(i => i.Title.Contains(piece, StringComparison.OrdinalIgnoreCase) || i.Id == piece);
        var found = (await client.GetFromJsonAsync<ItemsResponse>($"/items?query={Uri.EscapeDataString(piece)}&limit=2", Json))!;
        found.Total.Should().Be(matching);
        found.Items.Should().HaveCount(Math.Min(2, matching)).And.OnlyContain(i => i.Title.Contains(piece, StringComparison.OrdinalIgnoreCase) || i.Id == piece);
        var exact = (await client.GetFromJsonAsync<ItemsResponse>($"/items?query={Uri.EscapeDataString(catalog[5].Title.ToUpperInvariant())}", Json))!;
        exact.Items[0].Should().Be(new CatalogEntry(catalog[5].Id, catalog[5].Title), "an exact title comes first, whatever its case");

        using (var missing = await client.GetAsync("/items"))
            await ShouldBeProblem(missing, "query", "is required*");
        foreach (string limit in new[] { "0", "51", "abc", "-1" })
        {
            using var response = await client.GetAsync($"/items?query=a&limit={limit}");
            await ShouldBeProblem(response, "limit", $"must be a whole number in 1 … 50; got '{limit}'");
        }
        using var tooLong = await client.GetAsync($"/items?query={new string('a', 201)}");
        await ShouldBeProblem(tooLong, "query", "has 201 characters*");
    }

    [Fact]
    public async Task Concurrent_requests_micro_batched_answer_as_sequential_ones_and_one_bad_request_fails_alone()
    {
        using var sequentialClient = api.Plain.CreateClient();
        var histories = Histories;
        var expected = new List<RecommendationResponse>();
        foreach (var history in histories)
        {
            using var response = await sequentialClient.PostAsJsonAsync("/recommendations", new { history, k = 1 + expected.Count % 7 });
            expected.Add((await response.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!);
        }

        using var client = api.Batched.CreateClient();
        var before = (await client.GetFromJsonAsync<HealthResponse>("/healthz", Json))!;
        before.MicroBatching.Should().BeTrue();
        // 32 clients at once, each several requests, with varying k; one request names an unknown item.
        var tasks = Enumerable.Range(0, 32).Select(c => Task.Run(async () =>
        {
            var mine = new List<(int Index, HttpStatusCode Status, RecommendationResponse? Answer)>();
            for (int round = 0; round < 3; round++)
            {
                int i = (c * 3 + round) % histories.Count;
                bool bad = c == 7 && round == 1;
                object body = bad ? new { history = new[] { histories[i][0], "ghost" }, k = 3 } : new { history = histories[i], k = 1 + i % 7 };
                using var response = await client.PostAsJsonAsync("/recommendations", body);
                mine.Add((bad ? -1 : i, response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RecommendationResponse>(Json) : null));
            }
            return mine;
        })).ToList();
        var answers = (await Task.WhenAll(tasks)).SelectMany(a => a).ToList();

        answers.Should().ContainSingle(a => a.Index == -1).Which.Status.Should().Be(HttpStatusCode.BadRequest);
        foreach (var (index, status, answer) in answers.Where(a => a.Index >= 0))
        {
            status.Should().Be(HttpStatusCode.OK);
            answer!.Items.Select(r => r.Id).Should().Equal(expected[index].Items.Select(r => r.Id), $"history {index}");
            answer.Items.Select(r => r.Rank).Should().Equal(expected[index].Items.Select(r => r.Rank));
            answer.Items.Select(r => r.Score!.Value).Should().Equal(expected[index].Items.Select(r => r.Score!.Value), (a, b) => Math.Abs(a - b) < 1e-5);
        }
        var after = (await client.GetFromJsonAsync<HealthResponse>("/healthz", Json))!;
        long batches = after.Batches - before.Batches, requests = after.BatchedRequests - before.BatchedRequests;
        requests.Should().Be(96);
        batches.Should().BeLessThan(requests, "concurrent requests shared forward passes");
    }

    [Fact]
    public async Task Lenient_settings_skip_unknown_items_and_answer_an_empty_history_with_the_popular_items()
    {
        using var client = api.Lenient.CreateClient();
        using (var skipped = await client.PostAsJsonAsync("/recommendations", new { history = new[] { Histories[0][0], "ghost" }, k = 3 }))
        {
            skipped.StatusCode.Should().Be(HttpStatusCode.OK);
            (await skipped.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!.Skipped.Should().Equal("ghost");
        }
        using (var onlyUnknown = await client.PostAsJsonAsync("/recommendations", new { history = new[] { "ghost" }, k = 3 }))
        {
            onlyUnknown.StatusCode.Should().Be(HttpStatusCode.OK, "skipping leaves an empty history, which falls back to popularity");
            (await onlyUnknown.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!.PopularityFallback.Should().BeTrue();
        }
        using var empty = await client.PostAsJsonAsync("/recommendations", new { history = Array.Empty<string>(), k = 4 });
        var popular = (await empty.Content.ReadFromJsonAsync<RecommendationResponse>(Json))!;
        popular.PopularityFallback.Should().BeTrue();
        popular.Items.Should().HaveCount(4);
        popular.Items.Select(i => i.Score!.Value).Should().BeInDescendingOrder();
    }

    [Fact]
    public void A_wrong_setting_stops_the_service_at_start_naming_it()
    {
        var nowhere = api.Host(("Soft:Path", "/nowhere/at/all"));
        var start = () => nowhere.CreateClient();
        start.Should().Throw<Exception>().Where(e => e.ToString().Contains("Soft:Path") && e.ToString().Contains("/nowhere/at/all"));
        var batch = api.Host(("Soft:MicroBatching:MaxBatchSize", "0"));
        var badBatch = () => batch.CreateClient();
        badBatch.Should().Throw<Exception>().Where(e => e.ToString().Contains("MaxBatchSize"));
    }

    private static async Task ShouldBeProblem(HttpResponseMessage response, string field, string message)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().Should().Be(400);
        var errors = problem.RootElement.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().Contain(field);
        errors.GetProperty(field)[0].GetString().Should().Match(message);
    }
}
