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

    /// <summary>
    /// The words for a dataset read from a folder: movies for MovieLens, artists for LastFM, and for the others
    /// whatever the dataset's name suggests (Amazon categories such as <c>Video_Games</c>, <c>Books</c>,
    /// <c>Movies_and_TV</c>), products otherwise.
    /// </summary>
    /// <param name="format">The folder's format.</param>
    /// <param name="name">The dataset's name (file prefix or folder name).</param>
    /// <returns>The domain.</returns>
    public static RecommendationDomain ForDataset(Formats.DatasetFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return format switch
        {
            Formats.DatasetFormat.MovieLens100K or Formats.DatasetFormat.MovieLens1M or Formats.DatasetFormat.MovieLensLatest => Movies,
            Formats.DatasetFormat.LastFm => Artists,
            _ when name.Contains("game", StringComparison.OrdinalIgnoreCase) => VideoGames,
            _ when name.Contains("book", StringComparison.OrdinalIgnoreCase) || name.Contains("kindle", StringComparison.OrdinalIgnoreCase) => Books,
            _ when name.Contains("movie", StringComparison.OrdinalIgnoreCase) || name.Contains("ml-", StringComparison.OrdinalIgnoreCase) => Movies,
            _ => Products,
        };
    }
}
