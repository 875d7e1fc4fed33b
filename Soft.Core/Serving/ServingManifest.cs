using System.Text.Encodings.Web;
using System.Text.Json;
using Soft.Data;

namespace Soft.Serving;

/// <summary>
/// What serving a run needs besides weights, written into the run folder by <c>SoftTrainer</c> once its data and
/// template are final (after <c>ContextLengthCheck</c>): <see cref="FileName"/> (the template, domain, history length,
/// base model and the methods with their weight folders) and <see cref="CatalogFile"/> (ids, titles, training counts).
/// A recommender reads these instead of the original data files, which may have moved or changed.
/// </summary>
/// <remarks>
/// The type lives with serving, which reads it; the pipeline only fills it in. A server therefore needs nothing of
/// the pipeline, the run folder's bookkeeping or the reports to know what a run or bundle serves.
/// </remarks>
internal sealed class ServingManifest
{
    /// <summary>The manifest's file name in a run folder.</summary>
    public const string FileName = "serving.json";

    /// <summary>The layout this version writes; a manifest from a later one is refused by <see cref="Read"/>.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The layout version of the file.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The prompt template's text (<see cref="PromptTemplate.Text"/>).</summary>
    public required string Template { get; init; }

    /// <summary>What goes between history titles (<see cref="PromptTemplate.HistorySeparator"/>).</summary>
    public required string HistorySeparator { get; init; }

    /// <summary>Items are written as item tokens (<see cref="PromptTemplate.ItemTokens"/>).</summary>
    public bool ItemTokens { get; init; }

    /// <summary>History titles were cut to this many tokens (<c>SoftOptions.MaxHistoryTitleTokens</c>); null when not.</summary>
    public int? MaxHistoryTitleTokens { get; init; }

    /// <summary>The domain words of the template.</summary>
    public required RecommendationDomain Domain { get; init; }

    /// <summary>The most history items a training prompt showed (<see cref="RecommendationDataset.HistoryLength"/>).</summary>
    public int HistoryLength { get; init; }

    /// <summary>
    /// The base model's Hugging Face folder: relative to the run folder when the run built it (<c>base-model</c>),
    /// absolute when it was given; null when it came from a factory no folder names (then only full-weight methods serve).
    /// </summary>
    public string? BaseModel { get; init; }

    /// <summary>The methods the run trains, in run order.</summary>
    public required IReadOnlyList<ServedMethod> Methods { get; init; }

    /// <summary>The template as the run rendered prompts, without the history-title cut (which needs the tokenizer).</summary>
    public PromptTemplate ToTemplate()
    {
        var template = new PromptTemplate(Template, Domain, HistorySeparator);
        return ItemTokens ? template.WithItemTokens() : template;
    }

    /// <summary>
    /// This manifest as an exported bundle stores it: only <paramref name="method"/>, with no run stage to wait for,
    /// its weights in <paramref name="modelFolder"/> (full weights, or the base model that <paramref name="adapterFolder"/>
    /// adapts), both relative to the bundle.
    /// </summary>
    internal ServingManifest ForBundle(ServedMethod method, string modelFolder, string adapterFolder) => new()
    {
        Template = Template,
        HistorySeparator = HistorySeparator,
        ItemTokens = ItemTokens,
        MaxHistoryTitleTokens = MaxHistoryTitleTokens,
        Domain = Domain,
        HistoryLength = HistoryLength,
        BaseModel = method.Adapter || method.Folder is null ? modelFolder : null,
        Methods = [new ServedMethod(method.Name, null, method.Folder is null ? null : method.Adapter ? adapterFolder : modelFolder, method.Adapter)],
    };

    /// <summary>The manifest as the file holds it (a run folder's and a bundle's alike).</summary>
    internal string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the manifest of the run folder <paramref name="runFolder"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="runFolder"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no manifest (not a run folder, or one from before serving files).</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or from a newer format version; the message says which.</exception>
    public static ServingManifest Read(string runFolder)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        if (!Directory.Exists(runFolder))
            throw new DirectoryNotFoundException($"Run folder not found: {runFolder}");
        string path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{runFolder} has no {FileName}: it is not a run folder, or its run was made by a Soft version that did not store what serving needs. " +
                "Run the pipeline in it again (finished stages are reused) to add the file.", path);
        }
        ServingManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ServingManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a serving manifest ({e.Message}).", e);
        }
        if (manifest is null)
            throw new InvalidDataException($"{path}: the manifest is empty.");
        if (manifest.FormatVersion > CurrentFormatVersion)
            throw new InvalidDataException($"{path} has format version {manifest.FormatVersion}, written by a newer Soft; this version reads up to {CurrentFormatVersion}. Update Soft to serve this run.");
        if (manifest.FormatVersion < 1 || manifest.Methods is null || manifest.HistoryLength < 1)
            throw new InvalidDataException($"{path}: format version, methods and a positive history length are required.");
        return manifest;
    }
}
