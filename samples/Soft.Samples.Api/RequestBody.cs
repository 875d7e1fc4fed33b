using System.Buffers;
using System.Text.Json;

namespace Soft.Samples.Api;

/// <summary>
/// Reads a JSON request body within a byte limit and turns every way it can be wrong into a field name and a message
/// (a problem-details <c>errors</c> entry): too large, empty, not JSON, a field of the wrong type, an unknown field.
/// The framework's own binding would answer some of these with an empty 400 or 500 instead.
/// </summary>
internal static class RequestBody
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body's bytes, or the error when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<(byte[]? Bytes, string? Error)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return (null, $"is {request.ContentLength} bytes; the limit is {limit} bytes");
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                // Stops reading as soon as the limit is passed: a body without Content-Length cannot make the server buffer it all.
                if (buffer.Length + read > limit)
                    return (null, $"is more than the limit of {limit} bytes");
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>The body as <typeparamref name="T"/>, or the field that is wrong and why.</summary>
    /// <param name="bytes">The body.</param>
    /// <param name="fields">The request's fields in order.</param>
    /// <param name="shapes">What a field of the wrong type must be, by name (<c>k</c>) or for an array's elements (<c>history[]</c>).</param>
    public static (T? Value, string? Field, string? Error) Parse<T>(byte[] bytes, IReadOnlyList<string> fields, IReadOnlyDictionary<string, string> shapes)
        where T : class
    {
        if (bytes.Length == 0)
            return (null, "body", "is empty; send a JSON object");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            return (null, "body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, "body", "must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!fields.Contains(property.Name))
                    return (null, property.Name, $"is not a field of this request; the fields are {string.Join(", ", fields)}");
            }
            try
            {
                return (document.RootElement.Deserialize<T>(Json), null, null);
            }
            catch (JsonException e)
            {
                // "$.history[2]" names the field as the client wrote it; what it must be is looked up as "history[]".
                string field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
                int bracket = field.IndexOf('[', StringComparison.Ordinal);
                string key = bracket < 0 ? field : field[..bracket] + "[]";
                return (null, field, shapes.TryGetValue(key, out var shape) ? shape : "has the wrong type");
            }
        }
    }
}
