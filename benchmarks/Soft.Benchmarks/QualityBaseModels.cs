namespace Soft.Benchmarks;

/// <summary>
/// The base models the quality benchmark tunes: the cpu preset's item-token scratch model (the main grid: every
/// method, every seed), the title-token scratch model and stories260K with item tokens (Guidance-only, SFT and SOFT
/// each, beside it). Rows of the other base models carry the base model's name after the method's.
/// </summary>
internal static class QualityBaseModels
{
    /// <summary>The cpu preset's scratch LLaMA with one token per item.</summary>
    public const string Items = "items";

    /// <summary>The same scratch LLaMA writing items as quoted titles (the earlier preset).</summary>
    public const string Titles = "titles";

    /// <summary>The pretrained stories260K (Karpathy's tinyllamas) with one added token per item.</summary>
    public const string Stories = "stories260K";

    public static IReadOnlyList<string> Names { get; } = [Items, Titles, Stories];

    private const string Separator = " · ";

    /// <summary>A row's method name: <paramref name="method"/> as the pipeline names it, followed by the base model unless it is the main one.</summary>
    public static string MethodName(string method, string baseModel) => baseModel == Items ? method : method + Separator + baseModel;

    /// <summary>The pipeline's method name and the base model of a row's method name.</summary>
    public static (string Method, string BaseModel) Split(string methodName)
    {
        int at = methodName.LastIndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (methodName, Items) : (methodName[..at], methodName[(at + Separator.Length)..]);
    }

    /// <summary>The name of <paramref name="name"/> in <see cref="Names"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No base model has that name; the message lists the names.</exception>
    public static string Parse(string name) =>
        Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--base-models: unknown base model '{name}'; known: {string.Join(", ", Names)}.");
}
