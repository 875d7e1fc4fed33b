using Microsoft.Extensions.Options;

namespace Soft.Models.Scratch;

/// <summary>Checks <see cref="ScratchModelOptions"/>, reporting every broken rule at once, each naming the property.</summary>
internal sealed class ScratchModelOptionsValidator : IValidateOptions<ScratchModelOptions>
{
    /// <summary>Validates <paramref name="options"/>.</summary>
    /// <param name="name">The options name; these options are validated whatever the name.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure that lists every broken rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, ScratchModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        Positive(errors, options.HiddenSize, nameof(ScratchModelOptions.HiddenSize));
        Positive(errors, options.Layers, nameof(ScratchModelOptions.Layers));
        Positive(errors, options.Heads, nameof(ScratchModelOptions.Heads));
        Positive(errors, options.KeyValueHeads, nameof(ScratchModelOptions.KeyValueHeads));
        Positive(errors, options.IntermediateSize, nameof(ScratchModelOptions.IntermediateSize));
        Positive(errors, options.MaxPositions, nameof(ScratchModelOptions.MaxPositions));
        if (options.Heads > 0 && options.HiddenSize > 0 && (options.HiddenSize % options.Heads != 0 || options.HiddenSize / options.Heads % 2 != 0))
            errors.AddError($"({options.Heads}) must divide HiddenSize ({options.HiddenSize}) into an even head width (rotary embeddings rotate pairs).", nameof(ScratchModelOptions.Heads));
        if (options.Heads > 0 && options.KeyValueHeads > 0 && options.Heads % options.KeyValueHeads != 0)
            errors.AddError($"({options.KeyValueHeads}) must divide Heads ({options.Heads}).", nameof(ScratchModelOptions.KeyValueHeads));
        if (!(options.InitializerRange > 0) || double.IsInfinity(options.InitializerRange))
            errors.AddError($"must be a finite number above 0, was {options.InitializerRange}.", nameof(ScratchModelOptions.InitializerRange));
        return errors.Build();
    }

    /// <summary>Throws when <paramref name="options"/> break a rule.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message lists every broken rule.</exception>
    internal static void ThrowIfInvalid(ScratchModelOptions options)
    {
        var result = new ScratchModelOptionsValidator().Validate(null, options);
        if (result.Failed)
            throw new ArgumentException($"Invalid scratch model options: {result.FailureMessage}", nameof(options));
    }

    private static void Positive(ValidateOptionsResultBuilder errors, int value, string property)
    {
        if (value < 1)
            errors.AddError($"must be at least 1, was {value}.", property);
    }
}
