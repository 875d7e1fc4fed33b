using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Runtime;

/// <summary>
/// Scalars that stay alive through every native call they are passed to.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 passes <c>scalar.Handle</c> to libtorch with no <c>GC.KeepAlive(scalar)</c> after the call. A
/// temporary Scalar (the implicit conversion in <c>t - 1</c>, <c>t * x</c>, <c>clamp_min(0)</c>, and the alpha of 1
/// that <c>Tensor.add(Tensor)</c> and so <c>a + b</c> create inside TorchSharp) is unreachable once its handle is read;
/// a garbage collection during the call may finalize it and free the native value while libtorch reads it:
/// "Unknown scalar type", or wrong numbers without an error. Static readonly fields are rooted, so these are never
/// finalized. A value known only at run time goes in <c>using var s = value.ToScalar();</c> before the call: the
/// <c>using</c> keeps it reachable until the end of the scope. The constants keep the type the implicit conversion
/// of the literal gave (an int literal is an Int32 Scalar), so results are unchanged.
/// </remarks>
internal static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>Also the alpha for <c>a.add(b, Scalars.One)</c>, which is <c>a + b</c> without TorchSharp's temporary alpha.</summary>
    public static readonly Scalar One = 1.ToScalar();

    public static readonly Scalar Two = 2.ToScalar();

    // Explicit, so the fields are created at first use (when libtorch is loaded), not earlier at the runtime's discretion.
    static Scalars()
    {
    }

    /// <summary>
    /// <c>torch.arange(start, stop)</c>: the Scalar overloads with fewer arguments make their step (and start) as temporaries.
    /// </summary>
    public static Tensor Arange(long start, long stop, ScalarType? dtype = null, Device? device = null)
    {
        using var from = start.ToScalar();
        using var to = stop.ToScalar();
        return arange(from, to, One, dtype, device);
    }
}
