namespace Soft.Models;

/// <summary>
/// One supervised example: the model reads <see cref="Prompt"/> and is trained to continue it with
/// <see cref="Target"/> followed by the end-of-sequence token.
/// </summary>
/// <param name="Prompt">Text the model conditions on; its tokens carry no loss.</param>
/// <param name="Target">Text the model must produce; the end-of-sequence token is appended after it.</param>
public readonly record struct PromptTarget(string Prompt, string Target);
