namespace Soft.Samples.Api;

/// <summary>The body of <c>POST /recommendations</c>: <c>{"history": ["3", "Radiohead"], "k": 10}</c>.</summary>
public sealed class RecommendationRequest
{
    /// <summary>Item ids or exact titles, oldest first. Required.</summary>
    public IReadOnlyList<string?>? History { get; init; }

    /// <summary>How many items to return; null for 10.</summary>
    public int? K { get; init; }
}
