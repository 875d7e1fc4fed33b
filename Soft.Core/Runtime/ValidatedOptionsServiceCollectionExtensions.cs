using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// How every Soft registration method (the builder's, the satellites' builder extensions, serving's) adds the options
/// of what it registers. In this namespace, as the methods it serves are, so that none needs another using.
/// </summary>
internal static class ValidatedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/>, checked by <typeparamref name="TValidator"/> when first resolved and when
    /// the host starts, and applies <paramref name="configure"/> when one is given. The validator is added once however
    /// often this is called; each call's <paramref name="configure"/> runs, in call order.
    /// </summary>
    /// <typeparam name="TOptions">The options.</typeparam>
    /// <typeparam name="TValidator">Their validator; a failure names the property.</typeparam>
    /// <param name="services">The collection to add to.</param>
    /// <param name="configure">Sets the options; null keeps the defaults.</param>
    /// <returns>The options builder, for further configuration.</returns>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, Action<TOptions>? configure = null)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptionsWithValidateOnStart<TOptions, TValidator>();
        return configure is null ? options : options.Configure(configure);
    }
}
