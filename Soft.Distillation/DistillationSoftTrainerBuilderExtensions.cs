using Microsoft.Extensions.DependencyInjection;
using Soft.Pipeline;

namespace Soft.Distillation;

/// <summary>Chooses the self-distiller on a <see cref="SoftTrainerBuilder"/>.</summary>
public static class DistillationSoftTrainerBuilderExtensions
{
    /// <summary>The reference's self-distillation: the SFT model's top beam (4 beams, ≤ 64 new tokens) becomes ŷ.</summary>
    public static SoftTrainerBuilder UseBeamSelfDistiller(this SoftTrainerBuilder builder, Action<BeamSelfDistillerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.UseBeamSelfDistiller(configure);
        return builder;
    }
}
