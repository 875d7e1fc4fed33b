namespace Soft.Models;

/// <summary>Ready-made <see cref="IAllowedTokens"/> hooks.</summary>
public static class AllowedTokens
{
    /// <summary>
    /// A hook from a delegate of (prompt index, tokens generated so far) → allowed next ids, or null for "any".
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="allowed"/> is null.</exception>
    public static IAllowedTokens From(Func<int, IReadOnlyList<int>, IReadOnlyList<int>?> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return new DelegateHook(allowed);
    }

    /// <summary>A hook that ignores the prompt index (the same constraint for every prompt).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="allowed"/> is null.</exception>
    public static IAllowedTokens From(Func<IReadOnlyList<int>, IReadOnlyList<int>?> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return new DelegateHook((_, generated) => allowed(generated));
    }

    private sealed class DelegateHook(Func<int, IReadOnlyList<int>, IReadOnlyList<int>?> allowed) : IAllowedTokens
    {
        public IReadOnlyList<int>? Allowed(int promptIndex, IReadOnlyList<int> generated) => allowed(promptIndex, generated);
    }
}
