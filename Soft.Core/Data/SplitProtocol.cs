namespace Soft.Data;

/// <summary>How user sequences become train/valid/test samples.</summary>
public enum SplitProtocol
{
    /// <summary>
    /// <see cref="Predefined"/> when every sequence carries a split, else <see cref="Soft"/> when the data has
    /// timestamps, else <see cref="LeaveOneOut"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// The SOFT reference protocol: per user, windows of history length + 1 consecutive items (a user with no more
    /// items than that gives one shorter window); all windows sorted by the time of their last item (stable); the
    /// first 80 % train, next 10 % valid, last 10 % test. Needs timestamps.
    /// </summary>
    Soft,

    /// <summary>
    /// Per user: the last item is the test target, the one before it the validation target, and every earlier
    /// position (from the second item) a training target. For order-only data.
    /// </summary>
    LeaveOneOut,

    /// <summary>
    /// Keep the split each sequence carries (LastFM's user-disjoint split from LLaRA); every position from the
    /// second item is a target in its user's split.
    /// </summary>
    Predefined,
}
