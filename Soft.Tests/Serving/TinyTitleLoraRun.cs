namespace Soft.Tests.Serving;

/// <summary>The tiny run with items as quoted titles and LoRA adapters on the base model.</summary>
public sealed class TinyTitleLoraRun() : TinyRun(itemTokens: false);
