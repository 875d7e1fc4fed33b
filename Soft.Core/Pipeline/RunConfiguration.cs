using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Soft.Data;
using Soft.Distillation;
using Soft.Evaluation;
using Soft.Runs;

namespace Soft.Pipeline;

/// <summary>
/// The configuration a run folder belongs to (its <c>config.json</c>, whose hash the manifest keeps): every option,
/// the parts' fingerprints and what the stages are built from, so that no stage built from other inputs is reused.
/// </summary>
internal static class RunConfiguration
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(
        SoftOptions options, LanguageModelSource model, RecommendationDataset dataset, PromptTemplate template,
        IReadOnlyList<TunedMethod> methods, ISelfDistiller distiller, IReadOnlyList<IRecommendationEvaluator> evaluators)
    {
        var json = new JsonObject
        {
            ["options"] = JsonSerializer.SerializeToNode(options, new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } }),
            ["baseModel"] = model.Description,
            ["baseModelSettings"] = model.Settings?.DeepClone(),
            ["dataset"] = new JsonObject
            {
                ["name"] = dataset.Name,
                ["train"] = dataset.Train.Count,
                ["valid"] = dataset.Valid.Count,
                ["test"] = dataset.Test.Count,
                ["items"] = dataset.Catalog.Count,
                ["historyLength"] = dataset.HistoryLength,
                // What the stages are built from, not only its shape: edited titles or another subset must not reuse them.
                ["titles"] = PartFingerprint.Hash(dataset.Catalog.Items.Select(i => i.Id + "\t" + i.Title)),
                ["samples"] = PartFingerprint.Hash(new[] { dataset.Train, dataset.Valid, dataset.Test }.SelectMany((split, s) => split.Select(x => $"{s}\t{x.UserId}\t{x.Target}\t{string.Join(' ', x.History)}"))),
            },
            ["template"] = template.Text,
            ["historySeparator"] = template.HistorySeparator,
            ["methods"] = new JsonArray([.. methods.Select(Method)]),
            ["distiller"] = new JsonObject { ["name"] = distiller.Name, ["fingerprint"] = distiller.Fingerprint() },
            ["evaluators"] = new JsonArray([.. evaluators.Select(e => (JsonNode?)new JsonObject { ["name"] = e.Name, ["fingerprint"] = e.Fingerprint() })]),
        };
        return json.ToJsonString(Indented);
    }

    /// <summary>
    /// True when <paramref name="newJson"/> is <paramref name="oldJson"/> with methods (variants) appended: every other
    /// setting equal, and the old methods, unchanged and in order, first. A run folder of the old configuration can
    /// then train only the new methods; its finished stages were built from the same inputs.
    /// </summary>
    public static bool Extends(string oldJson, string newJson)
    {
        JsonObject? before, after;
        try
        {
            (before, after) = (JsonNode.Parse(oldJson) as JsonObject, JsonNode.Parse(newJson) as JsonObject);
        }
        catch (JsonException)
        {
            return false;
        }
        if (before?["methods"] is not JsonArray old || after?["methods"] is not JsonArray added || added.Count <= old.Count)
            return false;
        if (!old.Select((m, i) => JsonNode.DeepEquals(m, added[i])).All(same => same))
            return false;
        var (rest, restAfter) = ((JsonObject)before.DeepClone(), (JsonObject)after.DeepClone());
        rest.Remove("methods");
        restAfter.Remove("methods");
        return JsonNode.DeepEquals(rest, restAfter);
    }

    private static JsonNode Method(TunedMethod method)
    {
        var json = new JsonObject
        {
            ["name"] = method.Name,
            ["stage"] = method.Stage.Name,
            ["scheduler"] = method.Scheduler.Fingerprint(),
            ["softLabels"] = method.SoftLabels,
        };
        // Written only when it is not the default, so that runs from before the temperature keep their hash.
        if (method.SoftLabelTemperature != 1)
            json["softLabelTemperature"] = method.SoftLabelTemperature;
        return json;
    }
}
