using System.Text.Json;
using System.Text.Json.Serialization;

namespace Soft.Models;

/// <summary>The <c>rope_scaling</c> object of a LLaMA-family config.</summary>
public sealed class RopeScaling
{
    /// <summary>Scaling kind: <c>default</c>, <c>linear</c> or <c>llama3</c> (Llama 3.1+).</summary>
    [JsonPropertyName("rope_type")]
    public string? RopeType { get; set; }

    /// <summary>Older spelling of <see cref="RopeType"/>, still written by some configs.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Context extension factor.</summary>
    [JsonPropertyName("factor")]
    public double Factor { get; set; } = 1.0;

    /// <summary>Llama 3: wavelengths longer than original_max / low_freq_factor are fully scaled.</summary>
    [JsonPropertyName("low_freq_factor")]
    public double LowFreqFactor { get; set; } = 1.0;

    /// <summary>Llama 3: wavelengths shorter than original_max / high_freq_factor are left alone.</summary>
    [JsonPropertyName("high_freq_factor")]
    public double HighFreqFactor { get; set; } = 4.0;

    /// <summary>Llama 3: context length of the original pre-training.</summary>
    [JsonPropertyName("original_max_position_embeddings")]
    public int OriginalMaxPositionEmbeddings { get; set; } = 8192;

    /// <summary>Any other key, preserved on save.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The effective kind: <see cref="RopeType"/>, else <see cref="Type"/>, else <c>default</c>.</summary>
    [JsonIgnore]
    public string Kind => RopeType ?? Type ?? "default";
}
