using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Models.Lora;

/// <summary>
/// The JSON of PEFT's <c>adapter_config.json</c> for a LoRA adapter. Properties are in alphabetical order because
/// PEFT writes the file with sorted keys; the values Soft does not support are written with PEFT's defaults and
/// refused on reading when they differ.
/// </summary>
internal sealed class PeftLoraConfig
{
    [JsonPropertyName("alpha_pattern")]
    public Dictionary<string, JsonElement>? AlphaPattern { get; set; } = [];

    [JsonPropertyName("auto_mapping")]
    public JsonElement? AutoMapping { get; set; }

    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; set; }

    [JsonPropertyName("bias")]
    public string? Bias { get; set; } = "none";

    [JsonPropertyName("fan_in_fan_out")]
    public bool FanInFanOut { get; set; }

    [JsonPropertyName("inference_mode")]
    public bool InferenceMode { get; set; } = true;

    [JsonPropertyName("init_lora_weights")]
    public JsonElement? InitLoraWeights { get; set; } = JsonSerializer.SerializeToElement(true);

    [JsonPropertyName("layer_replication")]
    public JsonElement? LayerReplication { get; set; }

    [JsonPropertyName("layers_pattern")]
    public JsonElement? LayersPattern { get; set; }

    [JsonPropertyName("layers_to_transform")]
    public JsonElement? LayersToTransform { get; set; }

    [JsonPropertyName("loftq_config")]
    public Dictionary<string, JsonElement>? LoftqConfig { get; set; } = [];

    [JsonPropertyName("lora_alpha")]
    public double LoraAlpha { get; set; }

    [JsonPropertyName("lora_bias")]
    public bool LoraBias { get; set; }

    [JsonPropertyName("lora_dropout")]
    public double LoraDropout { get; set; }

    [JsonPropertyName("megatron_config")]
    public JsonElement? MegatronConfig { get; set; }

    [JsonPropertyName("megatron_core")]
    public string? MegatronCore { get; set; } = "megatron.core";

    [JsonPropertyName("modules_to_save")]
    public List<string>? ModulesToSave { get; set; }

    [JsonPropertyName("peft_type")]
    public string? PeftType { get; set; } = "LORA";

    [JsonPropertyName("r")]
    public int R { get; set; }

    [JsonPropertyName("rank_pattern")]
    public Dictionary<string, JsonElement>? RankPattern { get; set; } = [];

    [JsonPropertyName("revision")]
    public string? Revision { get; set; }

    /// <summary>A JSON array of names, or a string that PEFT treats as a full-match regular expression.</summary>
    [JsonPropertyName("target_modules")]
    public JsonElement? TargetModules { get; set; }

    [JsonPropertyName("task_type")]
    public string? TaskType { get; set; } = "CAUSAL_LM";

    /// <summary>
    /// PEFT's trainable tokens: a list of ids (the input embedding; a tied head follows it) or a dictionary from
    /// module name to ids; null for none.
    /// </summary>
    [JsonPropertyName("trainable_token_indices")]
    public JsonElement? TrainableTokenIndices { get; set; }

    [JsonPropertyName("use_dora")]
    public bool UseDora { get; set; }

    [JsonPropertyName("use_rslora")]
    public bool UseRslora { get; set; }

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    /// <summary>The config of an adapter with <paramref name="options"/> and, when given, its trainable token rows.</summary>
    public static PeftLoraConfig From(LoraOptions options, TrainableTokens? tokens = null) => new()
    {
        BaseModelNameOrPath = options.BaseModelNameOrPath,
        FanInFanOut = options.FanInFanOut,
        LoraAlpha = options.Alpha,
        LoraDropout = options.Dropout,
        R = options.Rank,
        // A list is sorted so that saving twice gives the same bytes; PEFT holds it as a set anyway.
        TargetModules = options.TargetModulesPattern is { } pattern
            ? JsonSerializer.SerializeToElement(pattern)
            : JsonSerializer.SerializeToElement(options.TargetModules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()),
        // The dictionary form names the head explicitly: PEFT's list form would leave an untied lm_head's rows frozen.
        TrainableTokenIndices = tokens is null ? null : JsonSerializer.SerializeToElement(tokens.ModuleIndices()),
    };

    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    /// <summary>Parses and checks a config file; <paramref name="path"/> is only used in messages.</summary>
    public static PeftLoraConfig Parse(string json, string path)
    {
        PeftLoraConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<PeftLoraConfig>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid PEFT adapter config: {e.Message}", e);
        }

        if (config is null)
        {
            throw new InvalidDataException($"'{path}' is not a valid PEFT adapter config: the file holds null.");
        }

        config.ThrowIfUnsupported(path);
        return config;
    }

    /// <summary>The options this config describes.</summary>
    public LoraOptions ToOptions()
    {
        var options = new LoraOptions
        {
            Rank = R,
            Alpha = LoraAlpha,
            Dropout = LoraDropout,
            FanInFanOut = FanInFanOut,
            BaseModelNameOrPath = BaseModelNameOrPath,
        };
        if (TargetModules is { ValueKind: JsonValueKind.String } pattern)
        {
            options.TargetModulesPattern = pattern.GetString();
        }
        else
        {
            options.TargetModules = [.. TargetModules!.Value.EnumerateArray().Select(e => e.GetString()!)];
        }

        options.TrainableTokenIndices = TokenIndexLists().FirstOrDefault() is { } ids ? [.. ids] : null;
        return options;
    }

    private void ThrowIfUnsupported(string path)
    {
        var problems = new List<string>();
        if (!string.Equals(PeftType, "LORA", StringComparison.Ordinal))
        {
            problems.Add($"peft_type is '{PeftType}', expected 'LORA'");
        }

        if (R < 1)
        {
            problems.Add($"r is {R}, expected at least 1");
        }

        if (!string.Equals(Bias ?? "none", "none", StringComparison.Ordinal))
        {
            problems.Add($"bias is '{Bias}'; only 'none' is supported");
        }

        if (UseDora)
        {
            problems.Add("use_dora is true; DoRA is not supported");
        }

        if (UseRslora)
        {
            problems.Add("use_rslora is true; rank-stabilised scaling is not supported");
        }

        if (LoraBias)
        {
            problems.Add("lora_bias is true; a bias on lora_B is not supported");
        }

        if (RankPattern is { Count: > 0 } || AlphaPattern is { Count: > 0 })
        {
            problems.Add("rank_pattern or alpha_pattern is set; per-module ranks are not supported");
        }

        if (ModulesToSave is { Count: > 0 })
        {
            problems.Add($"modules_to_save lists [{string.Join(", ", ModulesToSave)}]; fully trained extra modules are not supported");
        }

        try
        {
            var lists = TokenIndexLists();
            if (lists.Count > 1 && lists.Any(l => !l.SequenceEqual(lists[0])))
            {
                problems.Add("trainable_token_indices lists other ids for different modules; only the same ids for the embedding and the head are supported");
            }
            else if (lists.Count > 0 && (lists[0].Length == 0 || lists[0].Distinct().Count() != lists[0].Length || lists[0].Any(i => i < 0)))
            {
                problems.Add("trainable_token_indices must list distinct token ids of 0 or more");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            problems.Add("trainable_token_indices must be null, a list of token ids, or an object from module names to lists of token ids");
        }

        if (LayersToTransform is { ValueKind: not JsonValueKind.Null } || LayerReplication is { ValueKind: not JsonValueKind.Null })
        {
            problems.Add("layers_to_transform or layer_replication is set; layer selection is not supported");
        }

        switch (TargetModules)
        {
            case { ValueKind: JsonValueKind.String } s when s.GetString() == "all-linear":
                problems.Add("target_modules is 'all-linear'; list the module names instead");
                break;
            case { ValueKind: JsonValueKind.String }:
                break;
            case { ValueKind: JsonValueKind.Array } a when a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                break;
            default:
                problems.Add("target_modules must be a list of names or a regular expression string");
                break;
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Unsupported PEFT adapter config '{path}': {string.Join("; ", problems)}.");
        }
    }

    // Each module's ids, sorted (PEFT keeps them in the given order; the rows are the same either way). Throws
    // InvalidOperationException or FormatException for a shape that is neither a list nor an object of lists.
    private List<int[]> TokenIndexLists()
    {
        static int[] Ids(JsonElement list) => list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetInt32()).Order()]
            : throw new InvalidOperationException("not a list");
        return TrainableTokenIndices switch
        {
            null or { ValueKind: JsonValueKind.Null } => [],
            { ValueKind: JsonValueKind.Array } list => [Ids(list)],
            { ValueKind: JsonValueKind.Object } modules => [.. modules.EnumerateObject().Select(m => Ids(m.Value))],
            _ => throw new InvalidOperationException("neither a list nor an object"),
        };
    }
}
