namespace Soft.Serving;

/// <summary>Scores every catalogue item for each prompt; runs on the model's thread only.</summary>
internal interface ICatalogScorer
{
    /// <summary>One score per catalogue item for each prompt, higher is better.</summary>
    double[][] Score(IReadOnlyList<string> prompts, CancellationToken cancellationToken);

    /// <summary>Positions a prompt must leave free for what is scored after it (an item's title and EOS; nothing for an item token).</summary>
    int Reserve { get; }
}
