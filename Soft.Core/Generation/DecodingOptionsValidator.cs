using Microsoft.Extensions.Options;

namespace Soft.Generation;

/// <summary>Validates <see cref="DecodingOptions"/>, alone or as the <c>Decoding</c> property of a part's options.</summary>
public sealed class DecodingOptionsValidator : IValidateOptions<DecodingOptions>
{
    /// <summary>Checks every property's range; the failure names each broken one.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, DecodingOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        AddErrors(builder, options, prefix: "");
        return builder.Build();
    }

    /// <summary>Adds the failures of <paramref name="options"/> to <paramref name="builder"/>, each property named after <paramref name="prefix"/> (e.g. <c>Decoding.</c>).</summary>
    /// <param name="builder">Collects the failures.</param>
    /// <param name="options">The options to check; null is itself a failure.</param>
    /// <param name="prefix">What goes before each property name.</param>
    public static void AddErrors(ValidateOptionsResultBuilder builder, DecodingOptions? options, string prefix)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (options is null)
        {
            builder.AddError("must not be null.", prefix.TrimEnd('.'));
            return;
        }
        if (options.NumBeams < 1)
            builder.AddError($"must be at least 1 (was {options.NumBeams}).", prefix + nameof(DecodingOptions.NumBeams));
        if (options.MaxNewTokens < 1)
            builder.AddError($"must be at least 1 (was {options.MaxNewTokens}).", prefix + nameof(DecodingOptions.MaxNewTokens));
        if (!double.IsFinite(options.LengthPenalty))
            builder.AddError($"must be finite (was {options.LengthPenalty}).", prefix + nameof(DecodingOptions.LengthPenalty));
        if (options.BatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.BatchSize}).", prefix + nameof(DecodingOptions.BatchSize));
    }
}
