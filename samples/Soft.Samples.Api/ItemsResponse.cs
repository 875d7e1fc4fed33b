namespace Soft.Samples.Api;

/// <summary>The answer of <c>GET /items?query=</c>: catalogue items whose title (or id) matches, for building a history.</summary>
/// <param name="Query">The query as given.</param>
/// <param name="Items">The first matches: exact title or id first, then titles that start with the query, then titles that contain it, each in catalogue order.</param>
/// <param name="Total">How many items match in all (more than <paramref name="Items"/> holds when the limit cut them).</param>
public sealed record ItemsResponse(string Query, IReadOnlyList<CatalogEntry> Items, int Total);

/// <summary>An item of the catalogue.</summary>
/// <param name="Id">The id a history names it by.</param>
/// <param name="Title">Its title (also accepted in a history when exact).</param>
public sealed record CatalogEntry(string Id, string Title);
