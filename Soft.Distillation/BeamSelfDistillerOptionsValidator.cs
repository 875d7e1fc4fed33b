using Microsoft.Extensions.Options;
using Soft.Models;

namespace Soft.Distillation;

/// <summary>Validates <see cref="BeamSelfDistillerOptions"/>.</summary>
internal sealed class BeamSelfDistillerOptionsValidator : IValidateOptions<BeamSelfDistillerOptions>
{
    /// <summary>Checks every value; all failures are reported together, each naming its property.</summary>
    /// <param name="name">The options name; every name is validated.</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure naming each invalid property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public ValidateOptionsResult Validate(string? name, BeamSelfDistillerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        GenerationOptions.AddErrors(builder, options.Decoding, "Decoding.");
        if (options.BatchSize < 1)
            builder.AddError($"must be at least 1 (was {options.BatchSize}).", nameof(options.BatchSize));
        if (options.SoftLabels < 0)
            builder.AddError($"must be at least 0 (0 keeps none; was {options.SoftLabels}).", nameof(options.SoftLabels));
        if (options.PartialResultsPath is { } path && string.IsNullOrWhiteSpace(path))
            builder.AddError("must be null or a file path.", nameof(options.PartialResultsPath));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are invalid (for callers outside dependency injection).</summary>
    internal static BeamSelfDistillerOptions Checked(BeamSelfDistillerOptions options)
    {
        var result = new BeamSelfDistillerOptionsValidator().Validate(null, options);
        return result.Failed ? throw new ArgumentException($"Invalid BeamSelfDistillerOptions: {result.FailureMessage}", nameof(options)) : options;
    }
}
