using System.Text;

namespace Soft.Runtime;

/// <summary>
/// Managed random streams derived from the run's seed. Each consumer asks for its own named stream, so adding
/// a random draw in one place never shifts the numbers another place sees.
/// </summary>
public static class SoftRandom
{
    /// <summary>
    /// The seed of a component used on its own, outside a pipeline run (whose one seed is <c>SoftOptions.Seed</c>, also
    /// 42 by default): 42, the reference's.
    /// </summary>
    public const long DefaultSeed = 42;

    /// <summary>A <see cref="Random"/> for <paramref name="stream"/> that depends only on the seed and the name.</summary>
    public static Random Create(long seed, string stream) => new(DeriveSeed(seed, stream));

    /// <summary>A 31-bit seed mixed from <paramref name="seed"/> and <paramref name="stream"/> (FNV-1a, then SplitMix64).</summary>
    public static int DeriveSeed(long seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(stream))
            hash = (hash ^ b) * 1099511628211UL;
        ulong z = unchecked((ulong)seed + hash + 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
