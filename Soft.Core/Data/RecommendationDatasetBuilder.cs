using System.Globalization;
using Soft.Runtime;

namespace Soft.Data;

/// <summary>
/// Turns interactions, sequences or ready-made samples into a <see cref="RecommendationDataset"/>: k-core
/// filtering, per-user chronological sequences, a split protocol and seeded subsets (see <see cref="DatasetOptions"/>).
/// What the reader and the filters dropped, and splits that overlap, end up in <see cref="RecommendationDataset.Report"/>.
/// </summary>
public static class RecommendationDatasetBuilder
{
    /// <summary>Builds a dataset from an interaction log.</summary>
    /// <param name="data">Items and interactions from a reader.</param>
    /// <param name="domain">The words prompts use for the items.</param>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="domain"/> is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">
    /// The k-core removes everything, the history is longer than every sequence, no sample can be made, or
    /// <see cref="DatasetOptions.Strict"/> is on and the reader dropped something.
    /// </exception>
    public static RecommendationDataset FromInteractions(InteractionData data, RecommendationDomain domain, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(domain);
        options ??= new DatasetOptions();
        options.Validate();
        ThrowIfStrict(options, data.Drops);
        return Sequences(data.Name, data.Catalog, data.ToSequences(), domain, options, data.Drops);
    }

    /// <summary>Builds a dataset from per-user chronological sequences.</summary>
    /// <param name="name">A short name for the dataset.</param>
    /// <param name="catalog">The catalogue the sequences refer to.</param>
    /// <param name="sequences">One sequence per user, items oldest first.</param>
    /// <param name="domain">The words prompts use for the items.</param>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">The k-core removes everything, the history is longer than every sequence, the protocol does not fit the data, or no sample can be made.</exception>
    public static RecommendationDataset FromSequences(string name, ItemCatalog catalog, IReadOnlyList<UserSequence> sequences, RecommendationDomain domain, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(domain);
        options ??= new DatasetOptions();
        options.Validate();
        return Sequences(name, catalog, sequences, domain, options, []);
    }

    private static RecommendationDataset Sequences(string name, ItemCatalog catalog, IReadOnlyList<UserSequence> sequences, RecommendationDomain domain, DatasetOptions options, IReadOnlyList<DatasetDrop> read)
    {
        // With one item every ranking is perfect and every metric meaningless.
        if (catalog.Count < 2)
            throw new DatasetFormatException($"the catalogue has {catalog.Count} item; recommending needs at least 2", name, field: "item");
        var drops = new List<DatasetDrop>(read);

        foreach (var s in sequences)
        {
            if (s.Items.Any(i => (uint)i >= (uint)catalog.Count))
                throw new DatasetFormatException($"user '{s.UserId}' refers to an item index outside the catalogue of {catalog.Count} items", name, field: "item");
        }
        if (options.KCore > 0)
        {
            var (users, items, interactions) = (sequences.Count, catalog.Count, sequences.Sum(s => (long)s.Items.Count));
            (catalog, sequences) = KCore(name, catalog, sequences, options.KCore);
            long lost = interactions - sequences.Sum(s => (long)s.Items.Count);
            if (lost > 0)
            {
                drops.Add(new DatasetDrop(DatasetDropReason.KCore, lost, "interactions",
                    string.Create(CultureInfo.InvariantCulture, $"with {users - sequences.Count:N0} users and {items - catalog.Count:N0} items that kept fewer than {options.KCore} (the {options.KCore}-core asked for)"),
                    null, null, null, ByOption: true));
            }
        }
        // A single interaction is a target without a history: such users give no sample under any protocol.
        var single = sequences.Where(s => s.Items.Count < 2).ToList();
        if (single.Count > 0)
        {
            drops.Add(new DatasetDrop(DatasetDropReason.TooShort, single.Count, "users",
                $"with a single interaction{(options.KCore > 0 ? " after the k-core" : "")}, which makes no sample", $"user '{single[0].UserId}'", null, null));
        }

        int longest = sequences.Count == 0 ? 0 : sequences.Max(s => s.Items.Count);
        if (options.HistoryLength >= longest)
        {
            throw new DatasetFormatException(
                $"history length {options.HistoryLength} is not shorter than any user's sequence (longest: {longest} items); no sample could show a full history",
                name, field: nameof(DatasetOptions.HistoryLength));
        }

        var protocol = Resolve(name, sequences, options.Protocol);
        var (train, valid, test) = protocol switch
        {
            SplitProtocol.Soft => SoftWindows(sequences, options),
            SplitProtocol.LeaveOneOut => LeaveOneOut(sequences, options.HistoryLength),
            _ => Predefined(sequences, options.HistoryLength),
        };
        if (train.Count + valid.Count + test.Count == 0)
            throw new DatasetFormatException("no user has two items, so no sample could be made", name);
        return new RecommendationDataset(name, domain, catalog, Subset(train, options.TrainSubset, options.Seed ?? SoftRandom.DefaultSeed, "train"),
            Subset(valid, options.ValidSubset, options.Seed ?? SoftRandom.DefaultSeed, "valid"), Subset(test, options.TestSubset, options.Seed ?? SoftRandom.DefaultSeed, "test"),
            sequences, options.HistoryLength, protocol, TrainingChains.From(train))
        {
            Report = new DatasetReport { Drops = drops },
        };
    }

    /// <summary>
    /// Builds a dataset from samples a source already split (D3/BIGRec CSVs, RecBole benchmark files). Histories
    /// longer than the history length keep their most recent items; subsets are drawn as configured.
    /// </summary>
    /// <param name="name">A short name for the dataset.</param>
    /// <param name="catalog">The catalogue the samples refer to.</param>
    /// <param name="train">Training samples.</param>
    /// <param name="valid">Validation samples.</param>
    /// <param name="test">Test samples.</param>
    /// <param name="domain">The words prompts use for the items.</param>
    /// <param name="options">Processing options (history length, subsets, seed); k-core and protocol do not apply.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DatasetFormatException">There is no sample, a sample has an empty history, or a sample refers to an index outside the catalogue.</exception>
    public static RecommendationDataset FromSamples(string name, ItemCatalog catalog, IReadOnlyList<RecommendationSample> train, IReadOnlyList<RecommendationSample> valid, IReadOnlyList<RecommendationSample> test, RecommendationDomain domain, DatasetOptions? options = null) =>
        FromSamples(name, catalog, train, valid, test, domain, options, []);

    /// <summary><see cref="FromSamples(string, ItemCatalog, IReadOnlyList{RecommendationSample}, IReadOnlyList{RecommendationSample}, IReadOnlyList{RecommendationSample}, RecommendationDomain, DatasetOptions?)"/> for a reader that dropped <paramref name="read"/> on the way.</summary>
    internal static RecommendationDataset FromSamples(string name, ItemCatalog catalog, IReadOnlyList<RecommendationSample> train, IReadOnlyList<RecommendationSample> valid, IReadOnlyList<RecommendationSample> test, RecommendationDomain domain, DatasetOptions? options, IReadOnlyList<DatasetDrop> read)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(domain);
        options ??= new DatasetOptions();
        options.Validate();
        ThrowIfStrict(options, read);
        // With one item every ranking is perfect and every metric meaningless.
        if (catalog.Count < 2)
            throw new DatasetFormatException($"the catalogue has {catalog.Count} item; recommending needs at least 2", name, field: "item");
        if (train.Count + valid.Count + test.Count == 0)
            throw new DatasetFormatException("the source holds no sample", name);
        foreach (var s in train.Concat(valid).Concat(test))
        {
            if ((uint)s.Target >= (uint)catalog.Count || s.History.Any(i => (uint)i >= (uint)catalog.Count))
                throw new DatasetFormatException($"a sample of user '{s.UserId}' refers to an item index outside the catalogue of {catalog.Count} items", name, field: "item");
            // The readers refuse such rows with their line; samples made in code are checked here.
            if (s.History.Count == 0)
                throw new DatasetFormatException($"a sample of user '{s.UserId}' has an empty history; a prompt needs at least one item", name, field: "history");
        }
        int h = options.HistoryLength;
        List<RecommendationSample> Trim(IReadOnlyList<RecommendationSample> samples) =>
            [.. samples.Select(s => s.History.Count <= h ? s : s with { History = [.. s.History.Skip(s.History.Count - h)] })];
        return new RecommendationDataset(name, domain, catalog, Subset(Trim(train), options.TrainSubset, options.Seed ?? SoftRandom.DefaultSeed, "train"),
            Subset(Trim(valid), options.ValidSubset, options.Seed ?? SoftRandom.DefaultSeed, "valid"), Subset(Trim(test), options.TestSubset, options.Seed ?? SoftRandom.DefaultSeed, "test"),
            sequences: null, h, SplitProtocol.Predefined, TrainingChains.From(train))
        {
            Report = new DatasetReport { Drops = read, Warnings = SplitOverlap.Warnings(("train", train), ("valid", valid), ("test", test)) },
        };
    }

    // Strict mode is for users who want their files taken exactly: what a reader left out is an error, at its first case.
    private static void ThrowIfStrict(DatasetOptions options, IReadOnlyList<DatasetDrop> read)
    {
        if (options.Strict && read.FirstOrDefault(d => !d.ByOption) is { } drop)
            throw new DatasetFormatException($"{drop}; strict mode refuses any dropped row or item", drop.File, drop.Line);
    }

    /// <summary>
    /// The iterative k-core: drops users and items with fewer than <paramref name="k"/> interactions until none is
    /// left to drop. The catalogue shrinks to the surviving items (in their old order) and indices are remapped.
    /// </summary>
    internal static (ItemCatalog Catalog, IReadOnlyList<UserSequence> Sequences) KCore(string name, ItemCatalog catalog, IReadOnlyList<UserSequence> sequences, int k)
    {
        var current = sequences.ToList();
        while (true)
        {
            var itemCounts = new int[catalog.Count];
            foreach (var s in current)
            {
                foreach (int item in s.Items)
                    itemCounts[item]++;
            }
            bool changed = false;
            var next = new List<UserSequence>(current.Count);
            foreach (var s in current)
            {
                var keep = Enumerable.Range(0, s.Items.Count).Where(p => itemCounts[s.Items[p]] >= k).ToArray();
                if (keep.Length != s.Items.Count)
                    changed = true;
                if (keep.Length < k)
                {
                    changed = true;
                    continue;
                }
                next.Add(keep.Length == s.Items.Count ? s : s with
                {
                    Items = [.. keep.Select(p => s.Items[p])],
                    Timestamps = s.Timestamps is null ? null : [.. keep.Select(p => s.Timestamps[p])],
                });
            }
            current = next;
            if (!changed)
                break;
        }
        if (current.Count == 0)
            throw new DatasetFormatException($"the {k}-core filter removed every user and item", name, field: nameof(DatasetOptions.KCore));

        var used = new bool[catalog.Count];
        foreach (var s in current)
        {
            foreach (int item in s.Items)
                used[item] = true;
        }
        var remap = new int[catalog.Count];
        var kept = new List<CatalogItem>();
        for (int i = 0; i < catalog.Count; i++)
        {
            remap[i] = used[i] ? kept.Count : -1;
            if (used[i])
                kept.Add(catalog[i]);
        }
        var newCatalog = new ItemCatalog(kept, name);
        return (newCatalog, [.. current.Select(s => s with { Items = [.. s.Items.Select(i => remap[i])] })]);
    }

    private static SplitProtocol Resolve(string name, IReadOnlyList<UserSequence> sequences, SplitProtocol requested)
    {
        bool timed = sequences.All(s => s.Timestamps is not null);
        bool presplit = sequences.All(s => s.Split is not null);
        switch (requested)
        {
            case SplitProtocol.Auto:
                return presplit ? SplitProtocol.Predefined : timed ? SplitProtocol.Soft : SplitProtocol.LeaveOneOut;
            case SplitProtocol.Soft when !timed:
                throw new DatasetFormatException("the SOFT protocol sorts windows by time, but this data has no timestamps; use LeaveOneOut", name, field: "timestamp");
            case SplitProtocol.Predefined when !presplit:
                throw new DatasetFormatException("the Predefined protocol needs a split on every sequence, but this data has none", name, field: "split");
            default:
                return requested;
        }
    }

    private static (List<RecommendationSample>, List<RecommendationSample>, List<RecommendationSample>) SoftWindows(IReadOnlyList<UserSequence> sequences, DatasetOptions options)
    {
        int window = options.HistoryLength + 1;
        var windows = new List<RecommendationSample>();
        foreach (var s in sequences)
        {
            int n = s.Items.Count;
            if (n < 2)
                continue;
            if (n <= window)
            {
                windows.Add(Window(s, 0, n));
                continue;
            }
            for (int start = 0; start + window <= n; start++)
                windows.Add(Window(s, start, window));
        }
        // OrderBy is stable: windows ending at the same time keep user-then-position order.
        var sorted = windows.OrderBy(w => w.Timestamp!.Value).ToList();
        // decimal keeps 0.8 + 0.1 exactly 0.9, so the cut points equal Python's int(n * 0.8), int(n * 0.9).
        int trainEnd = (int)(sorted.Count * (decimal)options.TrainFraction);
        int validEnd = (int)(sorted.Count * ((decimal)options.TrainFraction + (decimal)options.ValidFraction));
        return (sorted[..trainEnd], sorted[trainEnd..validEnd], sorted[validEnd..]);
    }

    private static RecommendationSample Window(UserSequence s, int start, int length) =>
        new(s.UserId, [.. s.Items.Skip(start).Take(length - 1)], s.Items[start + length - 1], s.Timestamps?[start + length - 1]);

    private static RecommendationSample At(UserSequence s, int target, int historyLength)
    {
        int from = Math.Max(0, target - historyLength);
        return new(s.UserId, [.. s.Items.Skip(from).Take(target - from)], s.Items[target], s.Timestamps?[target]);
    }

    private static (List<RecommendationSample>, List<RecommendationSample>, List<RecommendationSample>) LeaveOneOut(IReadOnlyList<UserSequence> sequences, int historyLength)
    {
        List<RecommendationSample> train = [], valid = [], test = [];
        foreach (var s in sequences)
        {
            int n = s.Items.Count;
            // Users with fewer than three items cannot spare one for validation and one for test: train only.
            int lastTrain = n >= 3 ? n - 3 : n - 1;
            for (int t = 1; t <= lastTrain; t++)
                train.Add(At(s, t, historyLength));
            if (n >= 3)
            {
                valid.Add(At(s, n - 2, historyLength));
                test.Add(At(s, n - 1, historyLength));
            }
        }
        return (train, valid, test);
    }

    private static (List<RecommendationSample>, List<RecommendationSample>, List<RecommendationSample>) Predefined(IReadOnlyList<UserSequence> sequences, int historyLength)
    {
        List<RecommendationSample> train = [], valid = [], test = [];
        foreach (var s in sequences)
        {
            var target = s.Split switch
            {
                DataSplit.Train => train,
                DataSplit.Valid => valid,
                _ => test,
            };
            for (int t = 1; t < s.Items.Count; t++)
                target.Add(At(s, t, historyLength));
        }
        return (train, valid, test);
    }

    // The draw lives in SeededSubset; the stream is named after the split so each split's subset depends only on the seed.
    private static List<RecommendationSample> Subset(List<RecommendationSample> samples, int? size, long seed, string split) =>
        [.. SeededSubset.Select(samples, size, seed, string.Create(CultureInfo.InvariantCulture, $"data/subset/{split}"))];
}
