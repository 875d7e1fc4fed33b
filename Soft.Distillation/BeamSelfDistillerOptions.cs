using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Soft.Models;
using Soft.Runs;

namespace Soft.Distillation;

/// <summary>Options of <see cref="BeamSelfDistiller"/>.</summary>
/// <remarks>Defaults are the SOFT reference's: 4 beams, 4 returned sequences, at most 64 new tokens, the raw top beam kept.</remarks>
public sealed class BeamSelfDistillerOptions
{
    /// <summary>
    /// How the SFT model answers; its <see cref="GenerationOptions.NumReturnSequences"/> beams are returned and recorded
    /// per prompt. Default value (the reference's): 4 beams, 4 returned, at most 64 new tokens, length penalty 1
    /// (Hugging Face's default, inherited by the reference).
    /// </summary>
    [JsonIgnore]
    public GenerationOptions Decoding { get; set; } = new() { NumBeams = 4, NumReturnSequences = 4, MaxNewTokens = 64, LengthPenalty = 1 };

    /// <summary>Prompts decoded together (each with <see cref="GenerationOptions.NumBeams"/> beam rows). Default value is 8.</summary>
    [JsonIgnore]
    public int BatchSize { get; set; } = 8;

    // The run folder hashes these options as JSON (the distiller's Fingerprint()). Decoding and BatchSize are written as
    // they were when they were one object with NumReturnSequences beside it, so that folders made before keep their hash.
    [JsonInclude, JsonPropertyName(nameof(Decoding)), JsonPropertyOrder(-2)]
    internal JsonObject DecodingFingerprint => PartFingerprint.Decoding(Decoding, BatchSize, nameof(GenerationOptions.NumReturnSequences));

    [JsonInclude, JsonPropertyName(nameof(GenerationOptions.NumReturnSequences)), JsonPropertyOrder(-1)]
    internal int NumReturnSequencesFingerprint => Decoding.NumReturnSequences;

    /// <summary>
    /// With item tokens, also keep the SFT model's this many most probable next items and their probabilities per
    /// prompt (<see cref="DistilledExample.SoftLabels"/>; one extra forward pass per batch), for soft-label
    /// self-distillation; 0 keeps none. Ignored for titles. Default value is 50.
    /// </summary>
    public int SoftLabels { get; set; } = 50;

    // Targets

    /// <summary>
    /// Replace the top beam's text by the quoted title of the catalogue item nearest to it (L2 between base-model
    /// embeddings, as in grounding). Default value is false: the reference keeps the raw text. Needs a grounding
    /// embedder.
    /// </summary>
    public bool SnapToCatalog { get; set; }

    // Resumption

    /// <summary>
    /// A JSON Lines file that each finished batch is appended to (and flushed); a later run with the same samples
    /// skips the batches found there, so a killed distillation resumes. Default value is null (no partial file).
    /// </summary>
    /// <remarks>
    /// The file is kept after a successful run (a rerun then decodes nothing); delete it once <c>distilled.jsonl</c>
    /// is written, or when the model or the samples change (a file from other samples is refused with an error).
    /// </remarks>
    public string? PartialResultsPath { get; set; }
}
