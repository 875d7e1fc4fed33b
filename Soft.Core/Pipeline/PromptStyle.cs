namespace Soft.Pipeline;

/// <summary>Which prompt template the pipeline renders samples with.</summary>
public enum PromptStyle
{
    /// <summary>The compact template for small models: a short line of history and a cue (few boilerplate tokens).</summary>
    Compact,

    /// <summary>The BIGRec/Alpaca template of the SOFT reference code, word for word.</summary>
    Alpaca,
}
