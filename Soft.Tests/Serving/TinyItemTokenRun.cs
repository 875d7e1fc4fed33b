namespace Soft.Tests.Serving;

/// <summary>The tiny run with item tokens and full weights (the CPU preset's way).</summary>
public sealed class TinyItemTokenRun() : TinyRun(itemTokens: true);
