using Soft.Models;

namespace Soft.Pipeline;

/// <summary>
/// Where the pipeline gets its base model. A factory, not an instance, because a run may need a second copy
/// (full fine-tuning overwrites the weights that grounding must embed with) and because the pipeline owns and
/// disposes what it creates.
/// </summary>
/// <param name="Description">How the model is named in the report, e.g. its folder.</param>
/// <param name="Create">Creates a fresh instance of the base model.</param>
public sealed record LanguageModelSource(string Description, Func<TorchLanguageModel> Create);
