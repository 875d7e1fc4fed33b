namespace Soft.Data;

/// <summary>
/// The words a prompt uses for a dataset's items: "Given a list of <i>movies</i> the user has <i>watched</i> before,
/// please recommend a new <i>movie</i> ...".
/// </summary>
/// <param name="PluralNoun">The items in the plural ("movies").</param>
/// <param name="SingularNoun">One item ("movie").</param>
/// <param name="PastVerb">What the user did, as a past participle after "has" ("watched", "listened to").</param>
public sealed record RecommendationDomain(string PluralNoun, string SingularNoun, string PastVerb)
{
    /// <summary>Movies the user has watched (MovieLens, Amazon Movies &amp; TV).</summary>
    public static RecommendationDomain Movies { get; } = new("movies", "movie", "watched");

    /// <summary>Books the user has read (Amazon Kindle / Books).</summary>
    public static RecommendationDomain Books { get; } = new("books", "book", "read");

    /// <summary>Video games the user has played (Amazon Video Games).</summary>
    public static RecommendationDomain VideoGames { get; } = new("video games", "video game", "played");

    /// <summary>Artists the user has listened to (LastFM).</summary>
    public static RecommendationDomain Artists { get; } = new("artists", "artist", "listened to");

    /// <summary>Products the user has bought (any other Amazon category).</summary>
    public static RecommendationDomain Products { get; } = new("products", "product", "bought");
}
