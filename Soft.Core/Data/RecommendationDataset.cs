namespace Soft.Data;

/// <summary>
/// What the rest of the pipeline consumes: a catalogue, train/valid/test samples that refer to it, the domain words
/// for prompts, and statistics. Build one with <see cref="RecommendationDatasetBuilder"/>, a reader in
/// <c>Soft.Data.Formats</c>, or <see cref="EmbeddedDatasets.LastFm"/>.
/// </summary>
public sealed class RecommendationDataset
{
    private readonly Lazy<DatasetStatistics> _statistics;

    internal RecommendationDataset(
        string name,
        RecommendationDomain domain,
        ItemCatalog catalog,
        IReadOnlyList<RecommendationSample> train,
        IReadOnlyList<RecommendationSample> valid,
        IReadOnlyList<RecommendationSample> test,
        IReadOnlyList<UserSequence>? sequences,
        int historyLength,
        SplitProtocol protocol,
        IReadOnlyList<IReadOnlyList<int>> trainingSequences)
    {
        Name = name;
        Domain = domain;
        Catalog = catalog;
        Train = train;
        Valid = valid;
        Test = test;
        Sequences = sequences;
        HistoryLength = historyLength;
        Protocol = protocol;
        TrainingSequences = trainingSequences;
        _statistics = new Lazy<DatasetStatistics>(() => DatasetStatistics.Compute(this));
    }

    /// <summary>
    /// What the reader noticed but did not refuse, one line each, for the caller to show: each drop the data did not
    /// ask for (items without a title, rows naming unknown items, users too short for a sample) and splits that share
    /// a file or most of their rows; empty when nothing was odd. The whole account is <see cref="Report"/>.
    /// </summary>
    public IReadOnlyList<string> Warnings => [.. Report.Drops.Where(d => !d.ByOption).Select(d => d.ToString()), .. Report.Warnings];

    /// <summary>What was read, what was dropped and why (see <see cref="DatasetReport"/>).</summary>
    public DatasetReport Report { get; internal set; } = DatasetReport.Empty;

    /// <summary>
    /// Every training interaction, once, as item sequences in time order: per user, the items the training samples
    /// show (histories and targets), chained where one sample continues another. Built before
    /// <see cref="DatasetOptions.TrainSubset"/> draws <see cref="Train"/>, so it covers the whole training split; no
    /// validation or test target is in it. Pre-training a base model reads it (each transition once, not once per
    /// overlapping window).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> TrainingSequences { get; }

    /// <summary>A short name (file or dataset name).</summary>
    public string Name { get; }

    /// <summary>The words prompts use for the items.</summary>
    public RecommendationDomain Domain { get; }

    /// <summary>The items samples refer to.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>Training samples.</summary>
    public IReadOnlyList<RecommendationSample> Train { get; }

    /// <summary>Validation samples.</summary>
    public IReadOnlyList<RecommendationSample> Valid { get; }

    /// <summary>Test samples.</summary>
    public IReadOnlyList<RecommendationSample> Test { get; }

    /// <summary>The per-user sequences the samples were cut from, or <see langword="null"/> when the source holds only samples.</summary>
    public IReadOnlyList<UserSequence>? Sequences { get; }

    /// <summary>The most history items a sample shows.</summary>
    public int HistoryLength { get; }

    /// <summary>The protocol that produced the samples (<see cref="SplitProtocol.Predefined"/> for sources that ship their split).</summary>
    public SplitProtocol Protocol { get; }

    /// <summary>Counts and distributions, computed on first use.</summary>
    public DatasetStatistics Statistics => _statistics.Value;

    /// <summary>The samples of one split.</summary>
    /// <param name="split">The split.</param>
    /// <returns>Its samples.</returns>
    public IReadOnlyList<RecommendationSample> Samples(DataSplit split) => split switch
    {
        DataSplit.Train => Train,
        DataSplit.Valid => Valid,
        DataSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    /// <summary>Renders a sample with a template (the domain's Alpaca template when none is given).</summary>
    /// <param name="sample">A sample of this dataset.</param>
    /// <param name="template">The template, or <see langword="null"/> for <see cref="PromptTemplate.Alpaca"/>.</param>
    /// <returns>The prompt and the quoted target title.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sample"/> is <see langword="null"/>.</exception>
    public RecommendationPrompt Prompt(RecommendationSample sample, PromptTemplate? template = null) =>
        (template ?? PromptTemplate.Alpaca(Domain)).Render(sample, Catalog);

    /// <summary>Renders every sample of a split.</summary>
    /// <param name="split">The split.</param>
    /// <param name="template">The template, or <see langword="null"/> for <see cref="PromptTemplate.Alpaca"/>.</param>
    /// <returns>One prompt per sample, in sample order.</returns>
    public IReadOnlyList<RecommendationPrompt> Prompts(DataSplit split, PromptTemplate? template = null)
    {
        template ??= PromptTemplate.Alpaca(Domain);
        return [.. Samples(split).Select(s => template.Render(s, Catalog))];
    }
}
