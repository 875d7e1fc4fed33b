using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Metrics;

/// <summary>Writes <see cref="RankingMetricsResult"/> as one flat JSON object keyed by metric name, and reads it back.</summary>
internal sealed class RankingMetricsResultJsonConverter : JsonConverter<RankingMetricsResult>
{
    internal const string SamplesKey = "Samples";

    public override RankingMetricsResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A ranking metrics result must be a JSON object.");
        int samples = 0;
        var values = new List<KeyValuePair<string, double>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                throw new JsonException("Expected a metric name.");
            string name = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
                throw new JsonException($"The value of '{name}' must be a number.");
            if (name == SamplesKey)
                samples = reader.GetInt32();
            else
                values.Add(KeyValuePair.Create(name, reader.GetDouble()));
        }

        return new RankingMetricsResult(samples, values);
    }

    public override void Write(Utf8JsonWriter writer, RankingMetricsResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(SamplesKey, value.SampleCount);
        foreach (var (name, metric) in value.Values)
            writer.WriteNumber(name, metric);
        writer.WriteEndObject();
    }
}
