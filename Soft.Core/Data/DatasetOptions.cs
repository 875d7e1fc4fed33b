namespace Soft.Data;

/// <summary>How interactions or sequences are turned into a <see cref="RecommendationDataset"/>.</summary>
/// <remarks>
/// Defaults follow the SOFT reference code (history 10, 80/10/10, seed 42, subsets 4096/512/1000) except
/// <see cref="KCore"/>, which is off so that a dataset loads with the counts its files state; the reference uses 10.
/// </remarks>
public sealed record DatasetOptions
{
    /// <summary>Most earlier items a sample shows. Default 10.</summary>
    public int HistoryLength { get; init; } = 10;

    /// <summary>Iterative k-core on users and items (each must keep at least k interactions); 0 turns it off. Default 0.</summary>
    public int KCore { get; init; }

    /// <summary>How sequences become samples. Default <see cref="SplitProtocol.Auto"/>.</summary>
    public SplitProtocol Protocol { get; init; } = SplitProtocol.Auto;

    /// <summary>Share of the chronologically sorted windows used for training in the SOFT protocol. Default 0.8.</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>Share used for validation in the SOFT protocol (the rest is test). Default 0.1.</summary>
    public double ValidFraction { get; init; } = 0.1;

    /// <summary>Random training subset size; <see langword="null"/> keeps every sample. Default 4096.</summary>
    public int? TrainSubset { get; init; } = 4096;

    /// <summary>
    /// Size of the dataset's validation split, a seeded random subset of the validation samples; <see langword="null"/>
    /// keeps every sample. Default 512. This is the data: its samples are in a run's configuration hash and its count
    /// in the dataset statistics. How many of them a pipeline run validates on per epoch is the run's setting,
    /// <c>SoftOptions.ValidationSamples</c>, which draws from this split without changing it.
    /// </summary>
    public int? ValidSubset { get; init; } = 512;

    /// <summary>Random test subset size; <see langword="null"/> keeps every sample. Default 1000.</summary>
    public int? TestSubset { get; init; } = 1000;

    /// <summary>
    /// An override of the seed of the subset draws (named streams of <see cref="Runtime.SoftRandom"/>). Default null: a
    /// pipeline run draws with its one seed (<c>SoftOptions.Seed</c>); a reader used on its own uses <see cref="Runtime.SoftRandom.DefaultSeed"/>.
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>
    /// Refuse the data when a reader drops anything (an item without a title, a row naming an item the item list
    /// lacks, a duplicate row) instead of reporting it in <see cref="RecommendationDataset.Report"/>. Filters the
    /// options ask for (<see cref="KCore"/>) still apply. Default <see langword="false"/>.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>The same options with every subset turned off.</summary>
    public DatasetOptions WithAllSamples() => this with { TrainSubset = null, ValidSubset = null, TestSubset = null };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HistoryLength);
        ArgumentOutOfRangeException.ThrowIfNegative(KCore);
        if (TrainFraction is <= 0 or >= 1 || ValidFraction is < 0 or >= 1 || TrainFraction + ValidFraction > 1)
            throw new ArgumentOutOfRangeException(nameof(TrainFraction), $"TrainFraction ({TrainFraction}) and ValidFraction ({ValidFraction}) must lie in (0, 1) and sum to at most 1.");
        foreach (var (name, size) in new[] { (nameof(TrainSubset), TrainSubset), (nameof(ValidSubset), ValidSubset), (nameof(TestSubset), TestSubset) })
        {
            if (size is <= 0)
                throw new ArgumentOutOfRangeException(name, $"{name} must be positive or null, not {size}.");
        }
    }
}
