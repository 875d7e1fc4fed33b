using System.Text.Json;
using System.Text.Json.Nodes;

namespace Soft.Runs;

/// <summary>
/// The settings in which two run configurations (<c>config.json</c> texts) differ, leaf by leaf, so that a refused run
/// says what changed instead of showing two hashes.
/// </summary>
internal static class RunConfigDiff
{
    private const int MaxValueLength = 40;

    /// <summary>The differing settings, in document order; empty when either text is not a JSON document.</summary>
    public static IReadOnlyList<RunConfigDifference> Between(string oldJson, string newJson)
    {
        JsonNode? before, after;
        try
        {
            before = JsonNode.Parse(oldJson);
            after = JsonNode.Parse(newJson);
        }
        catch (JsonException)
        {
            return [];
        }
        var differences = new List<RunConfigDifference>();
        Compare("", before, after, differences);
        return differences;
    }

    private static void Compare(string path, JsonNode? before, JsonNode? after, List<RunConfigDifference> differences)
    {
        switch (before, after)
        {
            case (JsonObject a, JsonObject b):
                foreach (string key in a.Select(p => p.Key).Concat(b.Select(p => p.Key).Where(k => !a.ContainsKey(k))))
                    Compare(path.Length == 0 ? key : $"{path}.{key}", a[key], b[key], differences);
                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (int i = 0; i < a.Count; i++)
                    Compare($"{path}[{i}]", a[i], b[i], differences);
                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                    differences.Add(new RunConfigDifference(path, Text(before), Text(after)));
                break;
        }
    }

    private static string? Text(JsonNode? value)
    {
        if (value is null)
            return null;
        string text = value.ToJsonString();
        return text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 1)] + "…";
    }
}
