namespace Soft.Tests.Serving;

/// <summary>The tiny run with item tokens and LoRA adapters that also train the item rows (PEFT's trainable tokens).</summary>
public sealed class TinyItemTokenLoraRun() : TinyRun(itemTokens: true, lora: true);
