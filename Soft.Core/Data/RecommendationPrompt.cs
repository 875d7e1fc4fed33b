namespace Soft.Data;

/// <summary>A rendered training or evaluation example.</summary>
/// <param name="Prompt">The text the model reads (its tokens are masked out of the loss).</param>
/// <param name="Completion">The text the model should write: the quoted target title. The model layer appends EOS.</param>
public sealed record RecommendationPrompt(string Prompt, string Completion);
