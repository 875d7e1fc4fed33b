namespace Soft.Distillation;

/// <summary>
/// One entry of a soft-label D̂ row: a catalogue item and the SFT model's probability of it as the next item
/// (its next-token probability over the item tokens).
/// </summary>
/// <param name="Item">Catalogue index.</param>
/// <param name="Probability">The probability, in [0, 1].</param>
public sealed record SoftLabel(int Item, double Probability);
