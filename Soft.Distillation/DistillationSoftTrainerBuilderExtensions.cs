using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Models;
using Soft.Pipeline;

namespace Soft.Distillation;

/// <summary>
/// Chooses the self-distiller on a <see cref="SoftTrainerBuilder"/>, the one way to register one: the distiller and
/// its validated options go into <see cref="SoftTrainerBuilder.Services"/> (a host's own collection under
/// <c>services.AddSoft</c>), replacing any earlier choice, as a pipeline uses one distiller. Invalid options throw
/// <see cref="OptionsValidationException"/> naming the property at resolution and at host start.
/// </summary>
public static class DistillationSoftTrainerBuilderExtensions
{
    /// <summary>The reference's self-distillation: the SFT model's top beam (4 beams, ≤ 64 new tokens) becomes ŷ.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; null keeps the reference defaults.</param>
    /// <param name="groundingEmbedder">Resolves the base model as embedder; needed only for <see cref="BeamSelfDistillerOptions.SnapToCatalog"/>.</param>
    /// <returns>The builder.</returns>
    public static SoftTrainerBuilder UseBeamSelfDistiller(
        this SoftTrainerBuilder builder,
        Action<BeamSelfDistillerOptions>? configure = null,
        Func<IServiceProvider, ITextEmbedder>? groundingEmbedder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<BeamSelfDistillerOptions, BeamSelfDistillerOptionsValidator>(configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISelfDistiller>(provider => new BeamSelfDistiller(
            provider.GetRequiredService<IOptions<BeamSelfDistillerOptions>>().Value,
            groundingEmbedder?.Invoke(provider))));
        return builder;
    }
}
