using Soft.Runtime;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Rotary position embedding in Hugging Face's rotate-half layout (the two halves of each head pair up), with
/// <c>rope_theta</c> and the optional linear or Llama-3 frequency scaling.
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;

    public RotaryEmbedding(LlamaConfig config)
    {
        int dim = config.HeadDim;
        var inv = new double[dim / 2];
        for (int i = 0; i < inv.Length; i++)
            inv[i] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / dim);
        if (config.RopeScaling is { } scaling)
        {
            if (scaling.Kind == "linear")
                inv = inv.Select(f => f / scaling.Factor).ToArray();
            else if (scaling.Kind == "llama3")
                inv = Llama3(inv, scaling);
        }
        _inverseFrequencies = inv.Select(f => (float)f).ToArray();
    }

    /// <summary>Frequencies per rotary pair, after scaling.</summary>
    public IReadOnlyList<float> InverseFrequencies => _inverseFrequencies;

    /// <summary>cos and sin tables (B, 1, T, head_dim) for integer <paramref name="positions"/> (B, T).</summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions, ScalarType dtype)
    {
        var inv = tensor(_inverseFrequencies, device: positions.device); // (hd/2)
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * inv; // (B, T, hd/2)
        var emb = cat([angles, angles], -1).unsqueeze(1); // (B, 1, T, hd)
        return (emb.cos().to(dtype), emb.sin().to(dtype));
    }

    /// <summary>Rotates <paramref name="x"/> (B, heads, T, head_dim) by the tables.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        int half = (int)(x.shape[^1] / 2);
        var first = x[.., .., .., ..half];
        var second = x[.., .., .., half..];
        var rotated = cat([second.neg(), first], -1);
        return (x * cos).add(rotated * sin, Scalars.One);
    }

    // Llama 3.1: leave high frequencies, divide low ones by the factor, blend smoothly in between.
    private static double[] Llama3(double[] inv, RopeScaling s)
    {
        double lowWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var result = new double[inv.Length];
        for (int i = 0; i < inv.Length; i++)
        {
            double wavelength = 2 * Math.PI / inv[i];
            if (wavelength < highWavelength)
                result[i] = inv[i];
            else if (wavelength > lowWavelength)
                result[i] = inv[i] / s.Factor;
            else
            {
                double smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                result[i] = (1 - smooth) * inv[i] / s.Factor + smooth * inv[i];
            }
        }
        return result;
    }
}
