using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Soft.Models;

/// <summary>
/// The architecture-independent part of a Hugging Face <c>config.json</c>. Keys this library does not model are
/// kept in <see cref="Extra"/> and written back on save.
/// </summary>
public abstract class ModelConfig
{
    /// <summary>Hugging Face <c>model_type</c> (for example <c>llama</c>, <c>qwen2</c>, <c>gpt2</c>).</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "";

    /// <summary>Rows of the token embedding table.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; set; }

    /// <summary>Standard deviation of the normal initialisation used for fresh weights; HF default 0.02.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>BOS id as written in the config (a number, a list or absent).</summary>
    [JsonPropertyName("bos_token_id")]
    public JsonNode? BosTokenId { get; set; }

    /// <summary>EOS id(s) as written in the config (a number, a list or absent).</summary>
    [JsonPropertyName("eos_token_id")]
    public JsonNode? EosTokenId { get; set; }

    /// <summary>Padding id as written in the config (a number or absent).</summary>
    [JsonPropertyName("pad_token_id")]
    public JsonNode? PadTokenId { get; set; }

    /// <summary>Dtype the checkpoint was saved in (<c>float32</c>, <c>bfloat16</c>, ...).</summary>
    [JsonPropertyName("torch_dtype")]
    public string? TorchDType { get; set; }

    /// <summary>Every other key of <c>config.json</c>, preserved on save.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Number of transformer blocks.</summary>
    [JsonIgnore]
    public abstract int LayerCount { get; }

    /// <summary>Width of the hidden state returned by the last layer.</summary>
    [JsonIgnore]
    public abstract int HiddenSize { get; }

    /// <summary>Longest sequence the position encoding is meant for (<c>max_position_embeddings</c>, GPT-2's <c>n_positions</c>).</summary>
    [JsonIgnore]
    public abstract int MaxPositions { get; }

    /// <summary>Whether the output projection shares the token embedding matrix.</summary>
    [JsonIgnore]
    public abstract bool TiedEmbeddings { get; }

    /// <summary>Checks that the values describe a buildable model.</summary>
    /// <exception cref="InvalidDataException">A field is missing or inconsistent; the message names it.</exception>
    public abstract void Validate();

    /// <summary>Reads a Hugging Face <c>config.json</c> into the config class of its <c>model_type</c> and validates it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The JSON is malformed, the model type is unsupported or a field is invalid.</exception>
    public static ModelConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model config not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="source"/> is null.</exception>
    /// <exception cref="InvalidDataException">The JSON is malformed, the model type is unsupported or a field is invalid.</exception>
    public static ModelConfig Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        if (root is not JsonObject)
            throw new InvalidDataException($"{source}: expected a JSON object.");
        string? type = root["model_type"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        ModelConfig? config;
        try
        {
            config = type switch
            {
                "llama" or "qwen2" or "mistral" => root.Deserialize<LlamaConfig>(SerializerOptions),
                "gpt2" => root.Deserialize<Gpt2Config>(SerializerOptions),
                null => throw new InvalidDataException($"{source}: field 'model_type' is missing."),
                _ => throw new InvalidDataException($"{source}: field 'model_type' is '{type}'; supported: llama, qwen2, mistral, gpt2."),
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: field '{e.Path?.TrimStart('$', '.')}' has the wrong type ({e.Message}).", e);
        }
        catch (ArgumentException e)
        {
            // System.Text.Json reports a key written twice this way.
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        if (config is null)
            throw new InvalidDataException($"{source}: empty config.");
        try
        {
            config.Validate();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        return config;
    }

    /// <summary>The config as Hugging Face <c>config.json</c> text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), SerializerOptions);

    /// <summary>The ids in <paramref name="node"/> (a number or a list of numbers); empty when absent.</summary>
    internal static IReadOnlyList<int> Ids(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Where(n => n is not null).Select(n => n!.GetValue<int>()).ToArray(),
        _ => [node.GetValue<int>()],
    };

    /// <summary>Serializer settings shared by reading and writing configs.</summary>
    internal static readonly JsonSerializerOptions SerializerOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="field"/> unless <paramref name="ok"/>.</summary>
    protected static void Require(bool ok, string field, string message)
    {
        if (!ok)
            throw new InvalidDataException($"field '{field}' {message}");
    }
}
