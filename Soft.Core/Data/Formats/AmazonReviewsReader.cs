using System.Text.Json;
using System.Text.Unicode;
using Soft.Data.Text;

namespace Soft.Data.Formats;

/// <summary>
/// Reads Amazon Reviews 2023 (McAuley Lab), the input of the SOFT reference code: a ratings CSV with the columns
/// <c>user_id,parent_asin,rating,timestamp</c> (milliseconds) and the category's <c>meta_*.jsonl</c>, one JSON object
/// per line with <c>parent_asin</c> and <c>title</c>. Both are streamed; only metadata of rated items is kept, items
/// without a title are dropped with their ratings, and exact duplicate rating rows are dropped as the reference does.
/// </summary>
public static class AmazonReviewsReader
{
    /// <summary>Reads ratings and metadata.</summary>
    /// <param name="ratingsCsvPath">The ratings CSV.</param>
    /// <param name="metadataJsonlPath">The <c>meta_*.jsonl</c> file.</param>
    /// <returns>Titled items (in metadata order; metadata = <c>main_category</c>) and their ratings.</returns>
    /// <exception cref="ArgumentNullException">A path is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A row or JSON line is malformed.</exception>
    public static InteractionData Read(string ratingsCsvPath, string metadataJsonlPath)
    {
        ArgumentNullException.ThrowIfNull(ratingsCsvPath);
        ArgumentNullException.ThrowIfNull(metadataJsonlPath);
        var builder = new InteractionDataBuilder(DataFile.Stem(ratingsCsvPath)) { DropExactDuplicates = true };
        ReadRatings(builder, ratingsCsvPath);
        ReadMetadata(builder, metadataJsonlPath);
        return builder.Build();
    }

    /// <summary>Reads ratings and metadata and builds a dataset.</summary>
    /// <param name="ratingsCsvPath">The ratings CSV.</param>
    /// <param name="metadataJsonlPath">The <c>meta_*.jsonl</c> file.</param>
    /// <param name="domain">The domain words (e.g. <see cref="RecommendationDomain.VideoGames"/>).</param>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults, <c>KCore = 10</c> for the reference's 10-core.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed or the options leave no sample.</exception>
    public static RecommendationDataset Load(string ratingsCsvPath, string metadataJsonlPath, RecommendationDomain domain, DatasetOptions? options = null) =>
        RecommendationDatasetBuilder.FromInteractions(Read(ratingsCsvPath, metadataJsonlPath), domain, options);

    private static void ReadRatings(InteractionDataBuilder builder, string path)
    {
        using var reader = TextLineReader.Open(path);
        var fields = new List<string>();
        if (!DelimitedRecord.TryReadCsv(reader, ',', fields, out _))
            throw new DatasetFormatException("the file is empty", path, 1);
        var columns = new ColumnMap(fields, path);
        int user = columns.Require("user_id"), item = columns.Require("parent_asin"), rating = columns.Require("rating"), time = columns.Require("timestamp");
        while (DelimitedRecord.TryReadCsv(reader, ',', fields, out long line))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
                continue;
            if (fields.Count < columns.Count)
                throw new DatasetFormatException($"expected {columns.Count} fields but found {fields.Count}", path, line, "timestamp");
            builder.AddInteraction(
                FieldParser.Required(fields[user], "user_id", path, line),
                FieldParser.Required(fields[item], "parent_asin", path, line),
                FieldParser.Float(fields[rating], "rating", path, line),
                FieldParser.Timestamp(fields[time], "timestamp", path, line),
                path,
                line);
        }
    }

    private static void ReadMetadata(InteractionDataBuilder builder, string path)
    {
        using var reader = TextLineReader.Open(path);
        while (reader.TryReadLineBytes(out var bytes))
        {
            if (bytes.Trim(" \t"u8).IsEmpty)
                continue;
            if (!Utf8.IsValid(bytes))
                reader.Decode(bytes); // Throws with the line number.
            var (asin, title, category) = ParseLine(bytes, path, reader.LineNumber);
            // Unrated items are skipped: meta files list millions of products, most never rated in the CSV.
            if (builder.IsReferenced(asin))
                builder.AddItem(asin, title, category, path, reader.LineNumber);
        }
    }

    private static (string Asin, string? Title, string? Category) ParseLine(ReadOnlySpan<byte> json, string path, long line)
    {
        string? asin = null, title = null, category = null;
        bool olderAsin = false;
        // Amazon 2014 metadata is Python dict literals ({'asin': ...}), which no JSON parser reads; say so, not "invalid '".
        if (json.StartsWith("{'"u8))
            throw new DatasetFormatException("the line is a Python dict literal, not JSON (Amazon 2014 metadata); convert each line with json.dumps(ast.literal_eval(line)) first", path, line);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new DatasetFormatException("the line is not a JSON object", path, line);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                olderAsin |= reader.ValueTextEquals("asin"u8);
                string? name = reader.ValueTextEquals("parent_asin"u8) ? "parent_asin"
                    : reader.ValueTextEquals("title"u8) ? "title"
                    : reader.ValueTextEquals("main_category"u8) ? "main_category"
                    : null;
                reader.Read();
                if (name is null || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                    throw new DatasetFormatException($"expected a string but found {reader.TokenType}", path, line, name);
                string value = reader.GetString()!;
                switch (name)
                {
                    case "parent_asin": asin = value; break;
                    case "title": title = value; break;
                    default: category = value; break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                throw new DatasetFormatException("text follows the JSON object", path, line);
        }
        catch (JsonException ex)
        {
            throw new DatasetFormatException($"invalid JSON: {JsonErrorText.Of(ex)}", path, line, innerException: ex);
        }
        if (string.IsNullOrWhiteSpace(asin))
        {
            throw new DatasetFormatException(
                olderAsin ? "the object has no parent_asin, only 'asin': Amazon 2014/2018 metadata; this reader reads the 2023 release (parent_asin)" : "the object has no parent_asin",
                path, line, "parent_asin");
        }
        return (asin, title, category);
    }
}
