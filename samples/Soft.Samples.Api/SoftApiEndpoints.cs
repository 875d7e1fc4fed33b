using Microsoft.Extensions.Options;
using Soft.Recommenders;
using Soft.Serving;

namespace Soft.Samples.Api;

/// <summary>
/// The service's three endpoints. Every request a client can get wrong is answered 400 with
/// <c>application/problem+json</c> whose <c>errors</c> name the field (<c>history</c>, <c>history[2]</c>, <c>k</c>,
/// <c>query</c>, <c>limit</c>, <c>body</c>); a 500 means a fault of the service, never of the request.
/// </summary>
internal static class SoftApiEndpoints
{
    private const int DefaultK = 10;
    private const int DefaultLimit = 10;
    private const int MaxQueryLength = 200;
    // Unknown entries named in an error, at most: a request of 500 typos should not echo 500 lines back.
    private const int NamedUnknownItems = 10;

    private static readonly string[] Fields = ["history", "k"];

    private static readonly Dictionary<string, string> Shapes = new(StringComparer.Ordinal)
    {
        ["history"] = "must be an array of strings (item ids or exact titles, oldest first)",
        ["history[]"] = "must be a string (an item id or an exact title)",
        ["k"] = "must be a whole number",
    };

    public static IEndpointRouteBuilder MapSoftApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/recommendations", RecommendAsync);
        app.MapGet("/items", FindItems);
        app.MapGet("/healthz", (SoftRecommender recommender, RecommendationBatcher batcher) =>
            TypedResults.Ok(new HealthResponse("ok", recommender.Method, recommender.Catalog.Count, recommender.ItemTokens, batcher.Enabled, batcher.Batches, batcher.BatchedRequests)));
        return app;
    }

    private static async Task<IResult> RecommendAsync(HttpRequest request, SoftRecommender recommender, RecommendationBatcher batcher, IOptions<SoftApiOptions> settings, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (request.ContentType is { } type && !IsJson(type))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON.", detail: $"Content-Type is '{type}'; send application/json.");
        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
            return Invalid("body", tooLarge);
        var (body, field, error) = RequestBody.Parse<RecommendationRequest>(bytes!, Fields, Shapes);
        if (body is null)
            return Invalid(field ?? "body", error ?? "is not a recommendation request");

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        int items = recommender.Catalog.Count;
        int k = body.K ?? DefaultK;
        if (k < 1 || k > items)
            errors["k"] = [$"must lie in 1 … {items} (the catalogue's size); got {k}"];
        var history = body.History;
        if (history is null)
        {
            errors["history"] = ["is required: item ids or exact titles, oldest first"];
        }
        else if (history.Count == 0 && options.EmptyHistory == EmptyHistoryHandling.Throw)
        {
            errors["history"] = ["is empty; name at least one item (or run the service with Soft:EmptyHistory = MostPopular)"];
        }
        else if (history.Count > options.MaxHistoryItems)
        {
            errors["history"] = [$"has {history.Count} entries; the limit is {options.MaxHistoryItems} (the model reads only the most recent ones)"];
        }
        else
        {
            for (int i = 0; i < history.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(history[i]))
                    errors[$"history[{i}]"] = ["must be an item id or an exact title, not null or blank"];
            }
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");

        RecommendationList answer;
        try
        {
            answer = await batcher.RecommendAsync([.. history!.Select(h => h!)], k, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownItemsException e)
        {
            string named = string.Join(", ", e.Items.Take(NamedUnknownItems).Select(i => $"'{i}'"));
            string more = e.Items.Count > NamedUnknownItems ? $" and {e.Items.Count - NamedUnknownItems} more" : "";
            return Invalid("history", $"names no item of the catalogue: {named}{more} (GET /items?query= finds ids and titles)");
        }
        catch (EmptyHistoryException)
        {
            return Invalid("history", "names no item of the catalogue once unknown entries are skipped");
        }
        var ranked = answer.Take(k).Select(r => new RecommendedItem(r.ItemId, r.Title, double.IsFinite(r.Score) ? r.Score : null, r.Rank)).ToList();
        return TypedResults.Ok(new RecommendationResponse(recommender.Method, ranked, answer.Skipped, answer.IsPopularityFallback));
    }

    private static IResult FindItems(string? query, string? limit, SoftRecommender recommender, ItemSearch search, IOptions<SoftApiOptions> settings)
    {
        int max = settings.Value.MaxSearchResults;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(query))
            errors["query"] = ["is required: part of a title, or an id"];
        else if (query.Length > MaxQueryLength)
            errors["query"] = [$"has {query.Length} characters; the limit is {MaxQueryLength}"];
        int count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1 || count > max))
            errors["limit"] = [$"must be a whole number in 1 … {max}; got '{limit}'"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        var (items, total) = search.Find(query!.Trim(), Math.Min(count, max));
        return TypedResults.Ok(new ItemsResponse(query, items, total));
    }

    private static bool IsJson(string contentType)
    {
        string media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid.");
}
