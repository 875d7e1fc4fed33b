namespace Soft.Data;

/// <summary>
/// Splits a dataset's users in two: the base model pre-trains on the training interactions of one part, fine-tuning
/// draws its samples from the other. The base then knows the items and how sequences go, but has never seen a
/// training transition of the users it is fine-tuned on, as a pretrained LLM knows the world but not this task's data
/// (the quality benchmark's paper-like regime).
/// </summary>
internal static class DisjointUsers
{
    /// <summary>The random stream that picks the pre-training users.</summary>
    public const string Stream = "pretraining-users";

    /// <summary>
    /// <paramref name="dataset"/> with <see cref="RecommendationDataset.TrainingSequences"/> made of the pre-training
    /// users' training samples alone and <see cref="RecommendationDataset.Train"/> drawn from the other users'.
    /// </summary>
    /// <param name="dataset">A dataset loaded with every training sample (no training subset).</param>
    /// <param name="pretrainingShare">The share of the users with training samples that pre-train, in (0, 1).</param>
    /// <param name="trainSamples">How many fine-tuning samples to draw; null keeps all of the fine-tuning users'.</param>
    /// <param name="seed">Fixes both draws (the users, then the samples).</param>
    /// <returns>The split dataset; validation and test samples are unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pretrainingShare"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">Fewer than two users have training samples.</exception>
    public static RecommendationDataset Split(RecommendationDataset dataset, double pretrainingShare, int? trainSamples, long seed)
    {
        var pretraining = PretrainingUsers(dataset, pretrainingShare, seed);
        var tuning = dataset.Train.Where(s => !pretraining.Contains(s.UserId)).ToList();
        var chains = TrainingChains.From([.. dataset.Train.Where(s => pretraining.Contains(s.UserId))]);
        return new RecommendationDataset(dataset.Name, dataset.Domain, dataset.Catalog, SeededSubset.Select(tuning, trainSamples, seed, "train"),
            dataset.Valid, dataset.Test, dataset.Sequences, dataset.HistoryLength, dataset.Protocol, chains)
        {
            Report = dataset.Report,
        };
    }

    /// <summary>The users <see cref="Split"/> gives to pre-training for these arguments.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pretrainingShare"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">Fewer than two users have training samples.</exception>
    public static IReadOnlySet<string> PretrainingUsers(RecommendationDataset dataset, double pretrainingShare, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(pretrainingShare > 0 && pretrainingShare < 1))
            throw new ArgumentOutOfRangeException(nameof(pretrainingShare), pretrainingShare, "The share of pre-training users must be in (0, 1).");
        var users = dataset.Train.Select(s => s.UserId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (users.Count < 2)
            throw new ArgumentException($"{dataset.Name}: {users.Count} user has training samples; splitting users needs at least 2.", nameof(dataset));
        int count = Math.Clamp((int)Math.Round(users.Count * pretrainingShare), 1, users.Count - 1);
        return SeededSubset.Select(users, count, seed, Stream).ToHashSet(StringComparer.Ordinal);
    }
}
