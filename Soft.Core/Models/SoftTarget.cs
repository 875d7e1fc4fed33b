namespace Soft.Models;

/// <summary>
/// A distribution over next tokens that a distilled example is trained towards (soft-label self-distillation): the
/// loss is the cross-entropy from these probabilities, renormalised to sum to 1, to the model's next-token
/// distribution after the prompt.
/// </summary>
/// <param name="TokenIds">The token ids (item tokens), distinct.</param>
/// <param name="Probabilities">Their probabilities, same order; non-negative with a positive sum.</param>
public sealed record SoftTarget(IReadOnlyList<int> TokenIds, IReadOnlyList<double> Probabilities);
