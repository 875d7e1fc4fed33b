using Microsoft.Extensions.Options;

namespace Soft.Recommenders;

/// <summary>
/// Checks <see cref="RecommenderOptions"/> without a catalogue (ids that name no item are found when a recommender
/// loads, see <see cref="UnknownItemsException"/>); every failure names its option.
/// </summary>
internal sealed class RecommenderOptionsValidator : IValidateOptions<RecommenderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RecommenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.Method is not null && string.IsNullOrWhiteSpace(options.Method))
            builder.AddError("must name a method of the run (SOFT, SFT, a variant, Guidance-only), or be null for the default", nameof(RecommenderOptions.Method));
        if (!Enum.IsDefined(options.Device))
            builder.AddError($"is not a known device preference: {options.Device}", nameof(RecommenderOptions.Device));
        if (options.BatchSize is < 1 or > 4096)
            builder.AddError($"must lie in 1 … 4096; got {options.BatchSize}", nameof(RecommenderOptions.BatchSize));
        if (!Enum.IsDefined(options.UnknownItems))
            builder.AddError($"is not a known handling: {options.UnknownItems}", nameof(RecommenderOptions.UnknownItems));
        if (!Enum.IsDefined(options.EmptyHistory))
            builder.AddError($"is not a known handling: {options.EmptyHistory}", nameof(RecommenderOptions.EmptyHistory));
        if (options.OnlyItems is { Count: 0 })
            builder.AddError("must hold at least one item id when set (null allows every item)", nameof(RecommenderOptions.OnlyItems));
        if (options.OnlyItems?.Any(id => id is null) == true)
            builder.AddError("holds a null id", nameof(RecommenderOptions.OnlyItems));
        if (options.ExcludedItems?.Any(id => id is null) == true)
            builder.AddError("holds a null id", nameof(RecommenderOptions.ExcludedItems));
        if (options.OnlyItems is { Count: > 0 } only && options.ExcludedItems is { } excluded && only.All(excluded.Contains))
            builder.AddError("excludes every item of OnlyItems, so nothing could be recommended", nameof(RecommenderOptions.ExcludedItems));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are invalid, listing every failure.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names each.</exception>
    public static void ThrowIfInvalid(RecommenderOptions options)
    {
        var result = new RecommenderOptionsValidator().Validate(null, options);
        if (result.Failed)
            throw new ArgumentException($"Invalid RecommenderOptions: {result.FailureMessage}", nameof(options));
    }
}
