using System.Text;
using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Reads MovieLens as published by GroupLens: 100K (<c>u.item</c>, <c>u.data</c>), 1M (<c>movies.dat</c>,
/// <c>ratings.dat</c>) and the "latest" releases (<c>movies.csv</c>, <c>ratings.csv</c>). Files are streamed line by
/// line. MovieLens may not be redistributed, so it is read from a folder the user holds (see
/// <see cref="Soft.Data.MovieLensDownloader"/>).
/// </summary>
public static class MovieLensReader
{
    private static readonly string[] DataFields = ["user_id", "item_id", "rating", "timestamp"];

    /// <summary>Reads whichever MovieLens release the folder holds (100K, 1M or latest).</summary>
    /// <param name="folder">The unzipped folder.</param>
    /// <returns>Movies and ratings; timestamps in Unix seconds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The folder holds none of the known file sets.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed.</exception>
    public static InteractionData Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (DataFile.Exists(folder, "u.data"))
            return Read100K(folder);
        if (DataFile.Exists(folder, "ratings.dat"))
            return Read1M(folder);
        if (DataFile.Exists(folder, "ratings.csv"))
            return ReadLatest(folder);
        throw new FileNotFoundException($"{folder} holds no MovieLens ratings file (u.data, ratings.dat or ratings.csv).");
    }

    /// <summary>Reads a MovieLens folder and builds a dataset with the movie domain words.</summary>
    /// <param name="folder">The unzipped folder.</param>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults (SOFT protocol).</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or the options leave no sample.</exception>
    public static RecommendationDataset Load(string folder, DatasetOptions? options = null) =>
        RecommendationDatasetBuilder.FromInteractions(Read(folder), RecommendationDomain.Movies, options);

    /// <summary>
    /// Reads MovieLens 100K: <c>u.item</c> (<c>|</c>-separated, Latin-1; genres named from <c>u.genre</c> when present)
    /// and <c>u.data</c> (tab-separated user, item, rating, Unix time).
    /// </summary>
    /// <param name="folder">The folder with <c>u.item</c> and <c>u.data</c>.</param>
    /// <returns>Movies and ratings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or a rating names an unknown movie.</exception>
    public static InteractionData Read100K(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string[]? genres = null;
        if (DataFile.Find(folder, "u.genre") is { } genrePath)
            genres = ReadGenreNames(genrePath);

        var builder = new InteractionDataBuilder(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
        using (var items = TextLineReader.Open(DataFile.Resolve(folder, "u.item"), Encoding.Latin1))
        {
            var lines = new ItemIdLines(items.Source, "item_id", "movie");
            while (items.ReadLine() is { } line)
            {
                if (line.Length == 0)
                    continue;
                string[] f = line.Split('|');
                FieldParser.ExpectFields(f, ["item_id", "title"], items.Source, items.LineNumber);
                string id = FieldParser.Required(f[0], "item_id", items.Source, items.LineNumber);
                FieldParser.Long(id, "item_id", items.Source, items.LineNumber);
                string? metadata = genres is null || f.Length < 5 + genres.Length
                    ? null
                    : string.Join(", ", genres.Where((_, g) => f[5 + g] == "1"));
                lines.Add(id, items.LineNumber);
                builder.AddItem(id, f[1], metadata, items.Source, items.LineNumber);
            }
        }
        ReadRatings(builder, DataFile.Resolve(folder, "u.data"), line => line.Split('\t'));
        return builder.Build();
    }

    /// <summary>
    /// Reads MovieLens 1M: <c>movies.dat</c> (<c>id::title::genres</c>, Latin-1) and <c>ratings.dat</c>
    /// (<c>user::item::rating::time</c>).
    /// </summary>
    /// <param name="folder">The folder with <c>movies.dat</c> and <c>ratings.dat</c>.</param>
    /// <returns>Movies and ratings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or a rating names an unknown movie.</exception>
    public static InteractionData Read1M(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var builder = new InteractionDataBuilder(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
        using (var movies = TextLineReader.Open(DataFile.Resolve(folder, "movies.dat"), Encoding.Latin1))
        {
            var lines = new ItemIdLines(movies.Source, "item_id", "movie");
            while (movies.ReadLine() is { } line)
            {
                if (line.Length == 0)
                    continue;
                string[] f = line.Split("::");
                FieldParser.ExpectFields(f, ["item_id", "title", "genres"], movies.Source, movies.LineNumber);
                AddMovie(builder, lines, f[0], f[1], f[2], movies);
            }
        }
        ReadRatings(builder, DataFile.Resolve(folder, "ratings.dat"), line => line.Split("::"));
        return builder.Build();
    }

    /// <summary>
    /// Reads a MovieLens "latest" release (also 20M/25M/32M): <c>movies.csv</c> (<c>movieId,title,genres</c>, quoted
    /// CSV, UTF-8) and <c>ratings.csv</c> (<c>userId,movieId,rating,timestamp</c>).
    /// </summary>
    /// <param name="folder">The folder with <c>movies.csv</c> and <c>ratings.csv</c>.</param>
    /// <returns>Movies and ratings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or a rating names an unknown movie.</exception>
    public static InteractionData ReadLatest(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var builder = new InteractionDataBuilder(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
        var fields = new List<string>();
        using (var movies = TextLineReader.Open(DataFile.Resolve(folder, "movies.csv")))
        {
            var lines = new ItemIdLines(movies.Source, "item_id", "movie");
            if (!DelimitedRecord.TryReadCsv(movies, ',', fields, out _))
                throw new DatasetFormatException("the file is empty", movies.Source, 1);
            var columns = new ColumnMap(fields, movies.Source);
            int id = columns.Require("movieId"), title = columns.Require("title");
            int? genres = columns.Optional("genres");
            while (DelimitedRecord.TryReadCsv(movies, ',', fields, out long line))
            {
                if (fields.Count == 1 && fields[0].Length == 0)
                    continue;
                if (fields.Count != columns.Count)
                    throw new DatasetFormatException($"expected {columns.Count} fields but found {fields.Count}", movies.Source, line, "title");
                AddMovie(builder, lines, fields[id], fields[title], genres is { } g ? fields[g] : null, movies, line);
            }
        }
        using (var ratings = TextLineReader.Open(DataFile.Resolve(folder, "ratings.csv")))
        {
            if (!DelimitedRecord.TryReadCsv(ratings, ',', fields, out _))
                throw new DatasetFormatException("the file is empty", ratings.Source, 1);
            var columns = new ColumnMap(fields, ratings.Source);
            int[] order = [columns.Require("userId"), columns.Require("movieId"), columns.Require("rating"), columns.Require("timestamp")];
            // Ratings hold no quotes, so each line is one record and a plain split is enough (and much faster).
            while (ratings.ReadLine() is { } line)
            {
                if (line.Length == 0)
                    continue;
                string[] f = line.Split(',');
                if (f.Length != columns.Count)
                    throw new DatasetFormatException($"expected {columns.Count} fields but found {f.Length}", ratings.Source, ratings.LineNumber, DataFields[Math.Min(f.Length, 3)]);
                AddRating(builder, [f[order[0]], f[order[1]], f[order[2]], f[order[3]]], ratings);
            }
        }
        return builder.Build();
    }

    private static void AddMovie(InteractionDataBuilder builder, ItemIdLines lines, string rawId, string title, string? genres, TextLineReader reader, long? line = null)
    {
        long at = line ?? reader.LineNumber;
        string id = FieldParser.Required(rawId, "item_id", reader.Source, at);
        FieldParser.Long(id, "item_id", reader.Source, at);
        string? metadata = genres is null or "(no genres listed)" ? null : genres.Replace("|", ", ", StringComparison.Ordinal);
        lines.Add(id, at);
        builder.AddItem(id, title, metadata, reader.Source, at);
    }

    private static void ReadRatings(InteractionDataBuilder builder, string path, Func<string, string[]> split)
    {
        using var ratings = TextLineReader.Open(path);
        while (ratings.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = split(line);
            FieldParser.ExpectFields(f, DataFields, ratings.Source, ratings.LineNumber);
            AddRating(builder, f, ratings);
        }
    }

    private static void AddRating(InteractionDataBuilder builder, string[] f, TextLineReader reader)
    {
        string user = FieldParser.Required(f[0], "user_id", reader.Source, reader.LineNumber);
        string item = FieldParser.Required(f[1], "item_id", reader.Source, reader.LineNumber);
        float rating = FieldParser.Float(f[2].Trim(), "rating", reader.Source, reader.LineNumber);
        long time = FieldParser.Timestamp(f[3].Trim(), "timestamp", reader.Source, reader.LineNumber);
        if (!builder.HasItem(item))
            throw new DatasetFormatException($"movie {item} is not in the movie list", reader.Source, reader.LineNumber, "item_id");
        builder.AddInteraction(user, item, rating, time, reader.Source, reader.LineNumber);
    }

    private static string[] ReadGenreNames(string path)
    {
        // u.genre lists "name|index" with indices 0..18 in flag order.
        var names = new SortedDictionary<long, string>();
        using var reader = TextLineReader.Open(path, Encoding.Latin1);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Length == 0)
                continue;
            string[] f = line.Split('|');
            FieldParser.ExpectFields(f, ["genre", "genre_id"], reader.Source, reader.LineNumber);
            names[FieldParser.Long(f[1].Trim(), "genre_id", reader.Source, reader.LineNumber)] = f[0];
        }
        return [.. names.Values];
    }
}
