namespace Soft.Distillation;

/// <summary>One line of D̂ (<c>distilled.jsonl</c>): a training prompt with its real and its self-distilled target.</summary>
/// <param name="SampleIndex">Position of the sample in the distilled list.</param>
/// <param name="UserId">The sample's user.</param>
/// <param name="Prompt">The rendered prompt the model answered.</param>
/// <param name="RealTarget">The real completion (quoted title of the true next item).</param>
/// <param name="DistilledTarget">The model's own answer used as the distilled completion (EOS is appended at training time).</param>
/// <param name="Beams">All returned beams' texts, best first (the first is the raw answer before any snapping).</param>
/// <param name="BeamScores">The beams' scores, in the same order.</param>
/// <param name="SoftLabels">
/// With item tokens, the model's most probable next items with their probabilities, most probable first (soft-label
/// self-distillation); null when the distiller kept none.
/// </param>
public sealed record DistilledExample(
    int SampleIndex,
    string UserId,
    string Prompt,
    string RealTarget,
    string DistilledTarget,
    IReadOnlyList<string> Beams,
    IReadOnlyList<double> BeamScores,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<SoftLabel>? SoftLabels = null);
