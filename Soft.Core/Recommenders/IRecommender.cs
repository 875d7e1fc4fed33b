namespace Soft.Recommenders;

/// <summary>
/// Top-K next-item recommendations for a user's history, whatever ranks them: the fine-tuned language model
/// (<see cref="Serving.SoftRecommender"/>) or a classical baseline (<see cref="Baselines.PopularityRecommender"/>,
/// <see cref="Baselines.SasRecRecommender"/>), so an application can put one beside the other, or fall back to
/// one, with the same call.
/// </summary>
/// <remarks>
/// A history entry is an item id of the catalogue or, when no item has that id, an exact title (ordinal); a title
/// several items share names the first of them in catalogue order. What happens to entries that name no item, to an
/// empty history, to the history's own items and to items outside a candidate filter is set by
/// <see cref="RecommenderOptions"/>. Implementations are safe to call from many threads at once.
/// </remarks>
public interface IRecommender
{
    /// <summary>The <paramref name="k"/> best items for one history, best first.</summary>
    /// <param name="history">Item ids or exact titles, oldest first.</param>
    /// <param name="k">How many items to return; fewer come back when the filters leave fewer.</param>
    /// <param name="cancellationToken">Stops the call before (or between) forward passes.</param>
    /// <returns>The ranked items, and the history entries skipped (see <see cref="RecommenderOptions.UnknownItems"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not in 1 … the catalogue's size.</exception>
    /// <exception cref="UnknownItemsException">An entry names no item and <see cref="RecommenderOptions.UnknownItems"/> is <see cref="UnknownItemHandling.Throw"/>.</exception>
    /// <exception cref="EmptyHistoryException">The history is empty (after skipping) and <see cref="RecommenderOptions.EmptyHistory"/> is <see cref="EmptyHistoryHandling.Throw"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The recommender was disposed.</exception>
    RecommendationList Recommend(IReadOnlyList<string> history, int k, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="Recommend"/> for many histories at once, batched (the language model scores a batch of prompts in one
    /// forward pass); the same results as one call per history, in the order of <paramref name="histories"/>.
    /// </summary>
    /// <param name="histories">One history per user.</param>
    /// <param name="k">How many items per history.</param>
    /// <param name="cancellationToken">Stops the call between batches.</param>
    /// <returns>One list per history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="histories"/>, a history or an entry is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not in 1 … the catalogue's size.</exception>
    /// <exception cref="UnknownItemsException">As <see cref="Recommend"/>; the message names the history's position.</exception>
    /// <exception cref="EmptyHistoryException">As <see cref="Recommend"/>; the message names the history's position.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The recommender was disposed.</exception>
    IReadOnlyList<RecommendationList> RecommendMany(IReadOnlyList<IReadOnlyList<string>> histories, int k, CancellationToken cancellationToken = default);
}
