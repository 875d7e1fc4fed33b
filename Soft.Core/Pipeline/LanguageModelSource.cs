using System.Text.Json.Nodes;
using Soft.Models;

namespace Soft.Pipeline;

/// <summary>
/// Where the pipeline gets its base model. A factory, not an instance, because a run may need a second copy
/// (full fine-tuning overwrites the weights that grounding must embed with) and because the pipeline owns and
/// disposes what it creates.
/// </summary>
/// <param name="Description">How the model is named in the report, e.g. its folder.</param>
/// <param name="Create">Creates a fresh instance of the base model.</param>
public sealed record LanguageModelSource(string Description, Func<ITrainableLanguageModel> Create)
{
    /// <summary>Run-folder subfolder that holds a base model built per run (see <see cref="BuiltPerRun"/>).</summary>
    public const string BuiltFolderName = "base-model";

    /// <summary>
    /// When set, the pipeline builds the base model itself, as its first stage (<c>base</c>), into
    /// <see cref="BuiltFolderName"/> in the run folder, and loads it from there with <see cref="LoadOptions"/>;
    /// <see cref="Create"/> is then not used. A resumed run reuses the finished folder.
    /// </summary>
    public Action<BaseModelBuild>? Build { get; init; }

    /// <summary>
    /// DType and checkpoint formats for a model the pipeline loads from a folder it built; null for the defaults. The
    /// device is the run's (<see cref="SoftOptions.Device"/>): <see cref="SoftTrainerBuilder.UseLanguageModel(LanguageModelSource)"/>
    /// refuses options that name one.
    /// </summary>
    public ModelLoadOptions? LoadOptions { get; init; }

    /// <summary>
    /// The Hugging Face folder the model is read from, when it comes from one (item tokens are added to a copy of it);
    /// <see cref="SoftTrainerBuilder.Build"/> checks that it holds a <c>config.json</c> and weights, so a wrong path
    /// fails before anything is written into a run folder.
    /// </summary>
    public string? Folder { get; init; }

    /// <summary>Settings that identify the model beyond its description; part of the run's configuration hash.</summary>
    public JsonNode? Settings { get; init; }

    /// <summary>A source whose model the pipeline builds per run with <paramref name="build"/> (see <see cref="Build"/>).</summary>
    /// <param name="description">How the model is named in the report.</param>
    /// <param name="build">Writes a Hugging Face model folder at <see cref="BaseModelBuild.Folder"/>.</param>
    /// <param name="settings">Settings that identify the build (shape, pre-training), hashed with the run's configuration.</param>
    /// <param name="loadOptions">DType of the loaded model; the device is the run's (<see cref="SoftOptions.Device"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="description"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="build"/> is null.</exception>
    public static LanguageModelSource BuiltPerRun(string description, Action<BaseModelBuild> build, JsonNode? settings = null, ModelLoadOptions? loadOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(build);
        return new LanguageModelSource(description, () => throw new InvalidOperationException($"The base model '{description}' is built per run; SoftTrainer loads it from the run folder."))
        {
            Build = build,
            Settings = settings,
            LoadOptions = loadOptions,
        };
    }
}
