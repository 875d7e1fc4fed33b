namespace Soft.Evaluation;

/// <summary>What an item's row of the <see cref="ItemEmbeddingTable"/> is the embedding of.</summary>
/// <remarks>
/// A distance between items only means something in a space where the model keeps items. A model that names items
/// by their own tokens (<see cref="Data.PromptTemplate.ItemTokens"/>) learnt them as those tokens and may never have
/// read their titles: embedded as title text, every item lands near every other, the curriculum's d only says whether
/// the answer was right, and grounding only scores exact hits.
/// </remarks>
public enum ItemVectorSource
{
    /// <summary>The one that fits the prompt template: <see cref="ItemToken"/> with item tokens, <see cref="Title"/> otherwise.</summary>
    Automatic,

    /// <summary>BIGRec's: the last-layer state at the closing quote of the quoted title.</summary>
    Title,

    /// <summary>The last-layer state at the item's own token (<c>&lt;item_N&gt;</c>); answers are embedded as the tokens they are.</summary>
    ItemToken,
}
