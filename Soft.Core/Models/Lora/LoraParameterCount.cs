using System.Globalization;

namespace Soft.Models.Lora;

/// <summary>How many parameter elements of a model train, out of how many in all.</summary>
/// <param name="Trainable">Elements of parameters with requires_grad set.</param>
/// <param name="Total">Elements of all parameters, adapters included.</param>
internal readonly record struct LoraParameterCount(long Trainable, long Total)
{
    /// <summary>Trainable elements as a percentage of all elements; 0 for a model without parameters.</summary>
    public double TrainablePercent => Total == 0 ? 0 : 100.0 * Trainable / Total;

    /// <summary>A one-line summary in the form PEFT prints it.</summary>
    /// <returns>For example "trainable params: 1,024 || all params: 65,536 || trainable%: 1.5625".</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"trainable params: {Trainable:N0} || all params: {Total:N0} || trainable%: {TrainablePercent:0.####}");
}
