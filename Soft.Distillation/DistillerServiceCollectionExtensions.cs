using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Distillation;
using Soft.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a self-distiller (<see cref="ISelfDistiller"/>) in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// A pipeline uses one distiller, so registering replaces any <see cref="ISelfDistiller"/> added before: the last call
/// wins. Options are validated at resolution and at host start (<c>ValidateOnStart</c>); invalid options throw
/// <see cref="OptionsValidationException"/> naming the property.
/// </remarks>
public static class DistillerServiceCollectionExtensions
{
    /// <summary>Registers <see cref="BeamSelfDistiller"/>, the reference's beam-search self-distillation.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <param name="groundingEmbedder">Resolves the base model as embedder; needed only for <see cref="BeamSelfDistillerOptions.SnapToCatalog"/>.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection UseBeamSelfDistiller(
        this IServiceCollection services,
        Action<BeamSelfDistillerOptions>? configure = null,
        Func<IServiceProvider, ITextEmbedder>? groundingEmbedder = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<BeamSelfDistillerOptions, BeamSelfDistillerOptionsValidator>();
        if (configure is not null)
            options.Configure(configure);
        services.Replace(ServiceDescriptor.Singleton<ISelfDistiller>(provider => new BeamSelfDistiller(
            provider.GetRequiredService<IOptions<BeamSelfDistillerOptions>>().Value,
            groundingEmbedder?.Invoke(provider))));
        return services;
    }
}
