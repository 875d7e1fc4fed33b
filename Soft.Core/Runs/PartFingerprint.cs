using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Models;

namespace Soft.Runs;

/// <summary>
/// What a run folder's configuration hash records of the things a stage is built from: the user's parts (their
/// <c>Fingerprint()</c>), the data (titles, sample ids) and the base model's files, so that a changed input makes the
/// folder refuse the run instead of silently reusing stages built from the old one.
/// </summary>
internal static class PartFingerprint
{
    /// <summary>
    /// The default fingerprint of a pipeline part: its type and its public state (the properties
    /// <see cref="JsonSerializer"/> writes). Private fields are not seen; a part whose behaviour depends on them
    /// overrides its interface's <c>Fingerprint()</c> (see <see cref="Curriculum.ICurriculumScheduler.Fingerprint"/>).
    /// </summary>
    /// <param name="part">The scheduler, distiller or evaluator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="part"/> is null.</exception>
    public static JsonObject Of(object part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return new JsonObject
        {
            ["type"] = part.GetType().FullName,
            ["settings"] = JsonSerializer.SerializeToNode(part, part.GetType()),
        };
    }

    /// <summary>
    /// A pipeline part's <c>Decoding</c> and batch size as its options write them into <see cref="Of"/>: in the shape
    /// they had as one object before <c>Decoding</c> became a <see cref="GenerationOptions"/> (NumBeams, MaxNewTokens,
    /// LengthPenalty, BatchSize), so that run folders made then keep their hash, followed by every other setting of
    /// <paramref name="decoding"/> that differs from a new <see cref="GenerationOptions"/>'s, so that changing one
    /// changes the hash.
    /// </summary>
    /// <param name="decoding">The part's decoding settings.</param>
    /// <param name="batchSize">The part's prompts per batch.</param>
    /// <param name="ignored">Settings the part does not read from <paramref name="decoding"/> (it sets them itself) or writes elsewhere.</param>
    /// <returns>The JSON object; MaxNewTokens is null when it is <see cref="int.MaxValue"/> (no bound of the part's own).</returns>
    public static JsonObject Decoding(GenerationOptions decoding, int batchSize, params string[] ignored)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        var json = new JsonObject
        {
            [nameof(GenerationOptions.NumBeams)] = decoding.NumBeams,
            [nameof(GenerationOptions.MaxNewTokens)] = decoding.MaxNewTokens == int.MaxValue ? null : decoding.MaxNewTokens,
            [nameof(GenerationOptions.LengthPenalty)] = decoding.LengthPenalty,
            ["BatchSize"] = batchSize,
        };
        var defaults = JsonSerializer.SerializeToNode(new GenerationOptions())!.AsObject();
        foreach (var (name, value) in JsonSerializer.SerializeToNode(decoding)!.AsObject())
            if (!json.ContainsKey(name) && !ignored.Contains(name) && !JsonNode.DeepEquals(value, defaults[name]))
                json[name] = value?.DeepClone();
        return json;
    }

    /// <summary>SHA-256 (lower-case hex) of <paramref name="texts"/>, each followed by a NUL so boundaries count.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    public static string Hash(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string text in texts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(text));
            sha.AppendData([0]);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>SHA-256 of every file in <paramref name="folder"/> (not its subfolders), by file name.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    public static JsonObject Files(string folder)
    {
        var files = new JsonObject();
        foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            files[Path.GetFileName(file)] = RunFolder.Sha256OfFile(file);
        return files;
    }
}
