namespace Soft.Data;

/// <summary>
/// Collects items and interactions in any order (Amazon's ratings come before its metadata), then builds an
/// <see cref="InteractionData"/> in which items without a title, and items no catalogue entry names, are dropped together
/// with their interactions; each drop is counted by reason in <see cref="InteractionData.Drops"/>, with the file and
/// line of its first case when the caller passed them. Readers use it; so can code that brings its own format.
/// </summary>
public sealed class InteractionDataBuilder
{
    private readonly string _name;
    private readonly Dictionary<string, int> _itemKeys = new(StringComparer.Ordinal);
    private readonly List<string> _itemIds = [];
    private readonly List<(string? Title, string? Metadata, int Order, string? Source, long? Line)> _itemInfo = [];
    // Where each item was first named by an interaction: the place to show for an item the catalogue lacks.
    private readonly List<(string? Source, long? Line)> _firstUse = [];
    private (string? Source, long? Line)? _firstDuplicate;
    private readonly Dictionary<string, int> _userKeys = new(StringComparer.Ordinal);
    private readonly List<string> _userIds = [];
    private readonly List<RawInteraction> _interactions = [];
    private readonly HashSet<RawInteraction> _seen = [];
    private int _catalogOrder;

    /// <summary>Creates an empty builder.</summary>
    /// <param name="name">A short name for the data.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public InteractionDataBuilder(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _name = name;
    }

    /// <summary>The number of interactions added so far.</summary>
    public int InteractionCount => _interactions.Count;

    /// <summary>
    /// Whether an interaction identical to an earlier one (same user, item, rating and time) is skipped, as the SOFT
    /// reference does with pandas' <c>drop_duplicates</c> on Amazon ratings. Default <see langword="false"/>.
    /// </summary>
    public bool DropExactDuplicates { get; init; }

    /// <summary>Interactions skipped by <see cref="DropExactDuplicates"/>.</summary>
    public long DuplicatesDropped { get; private set; }

    /// <summary>
    /// Adds a catalogue entry. Catalogue order is the order of these calls. An empty or whitespace title marks the
    /// item as untitled: it will be dropped.
    /// </summary>
    /// <param name="id">The item's source id.</param>
    /// <param name="title">The title (trimmed), or <see langword="null"/>.</param>
    /// <param name="metadata">Optional extra text.</param>
    /// <param name="source">The file the entry comes from, for the data report; null when not from a file.</param>
    /// <param name="line">The entry's 1-based line in <paramref name="source"/>.</param>
    /// <returns><see langword="false"/> when the id already has a catalogue entry (nothing is changed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public bool AddItem(string id, string? title, string? metadata = null, string? source = null, long? line = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        int key = ItemKey(id, source, line);
        if (_itemInfo[key].Order >= 0)
            return false;
        _itemInfo[key] = (title?.Trim(), metadata, _catalogOrder++, source, line);
        return true;
    }

    /// <summary>Whether <paramref name="id"/> has a catalogue entry (titled or not).</summary>
    /// <param name="id">The item's source id.</param>
    public bool HasItem(string id) => _itemKeys.TryGetValue(id, out int key) && _itemInfo[key].Order >= 0;

    /// <summary>Whether an interaction refers to <paramref name="id"/>.</summary>
    /// <param name="id">The item's source id.</param>
    public bool IsReferenced(string id) => _itemKeys.ContainsKey(id);

    /// <summary>Adds one interaction; its item may get its catalogue entry later.</summary>
    /// <param name="userId">The user's source id.</param>
    /// <param name="itemId">The item's source id.</param>
    /// <param name="rating">The rating, if any.</param>
    /// <param name="timestamp">The time, or <see langword="null"/> for order-only data.</param>
    /// <param name="source">The file the interaction comes from, for the data report; null when not from a file.</param>
    /// <param name="line">The interaction's 1-based line in <paramref name="source"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> or <paramref name="itemId"/> is <see langword="null"/>.</exception>
    public void AddInteraction(string userId, string itemId, float? rating, long? timestamp, string? source = null, long? line = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(itemId);
        if (!_userKeys.TryGetValue(userId, out int user))
        {
            user = _userIds.Count;
            _userKeys.Add(userId, user);
            _userIds.Add(userId);
        }
        var raw = new RawInteraction(user, ItemKey(itemId, source, line), rating ?? float.NaN, timestamp ?? long.MinValue);
        if (DropExactDuplicates && !_seen.Add(raw))
        {
            _firstDuplicate ??= (source, line);
            DuplicatesDropped++;
            return;
        }
        _interactions.Add(raw);
    }

    /// <summary>Builds the data, dropping untitled and unlisted items and their interactions, and counting each drop.</summary>
    /// <returns>The interaction data.</returns>
    /// <exception cref="DatasetFormatException">No item has a title, or no interaction is left.</exception>
    public InteractionData Build()
    {
        var titled = Enumerable.Range(0, _itemIds.Count)
            .Where(k => _itemInfo[k].Order >= 0 && !string.IsNullOrWhiteSpace(_itemInfo[k].Title))
            .OrderBy(k => _itemInfo[k].Order)
            .ToArray();
        int untitled = _itemIds.Count - titled.Length;
        var catalog = new ItemCatalog(titled.Select((k, i) => new CatalogItem(i, _itemIds[k], _itemInfo[k].Title!, _itemInfo[k].Metadata)), _name);

        var toIndex = new int[_itemIds.Count];
        Array.Fill(toIndex, -1);
        for (int i = 0; i < titled.Length; i++)
            toIndex[titled[i]] = i;

        // Users whose every item was untitled disappear, so user indices are rebuilt.
        var userIndex = new int[_userIds.Count];
        Array.Fill(userIndex, -1);
        var users = new List<string>();
        var kept = new List<Interaction>(_interactions.Count);
        long dropped = 0;
        var droppedByItem = new long[_itemIds.Count];
        foreach (var raw in _interactions)
        {
            int item = toIndex[raw.ItemKey];
            if (item < 0)
            {
                dropped++;
                droppedByItem[raw.ItemKey]++;
                continue;
            }
            if (userIndex[raw.User] < 0)
            {
                userIndex[raw.User] = users.Count;
                users.Add(_userIds[raw.User]);
            }
            kept.Add(new Interaction(
                userIndex[raw.User],
                item,
                float.IsNaN(raw.Rating) ? null : raw.Rating,
                raw.Timestamp == long.MinValue ? null : raw.Timestamp));
        }
        var drops = Drops(droppedByItem);
        if (kept.Count == 0)
        {
            throw new DatasetFormatException(
                "no interaction refers to a titled item" + (drops.Count == 0 ? "" : $" ({string.Join("; ", drops)})"), _name);
        }
        return new InteractionData(_name, catalog, users, kept, untitled, dropped) { Drops = drops };
    }

    private List<DatasetDrop> Drops(long[] droppedByItem)
    {
        var drops = new List<DatasetDrop>();
        // Listed but untitled, in catalogue order, so the first example is the first such line of the item file.
        var untitled = Enumerable.Range(0, _itemIds.Count)
            .Where(k => _itemInfo[k].Order >= 0 && string.IsNullOrWhiteSpace(_itemInfo[k].Title))
            .OrderBy(k => _itemInfo[k].Order)
            .ToList();
        if (untitled.Count > 0)
        {
            int first = untitled[0];
            long with = untitled.Sum(k => droppedByItem[k]);
            drops.Add(new DatasetDrop(DatasetDropReason.NoTitle, untitled.Count, "items", With(with), $"item '{_itemIds[first]}'", _itemInfo[first].Source, _itemInfo[first].Line));
        }
        // Named by an interaction but never listed, e.g. a review whose parent_asin the metadata lacks.
        var unlisted = Enumerable.Range(0, _itemIds.Count).Where(k => _itemInfo[k].Order < 0).ToList();
        if (unlisted.Count > 0)
        {
            int first = unlisted.MinBy(k => (_firstUse[k].Source is null ? 1 : 0, _firstUse[k].Line ?? long.MaxValue));
            long with = unlisted.Sum(k => droppedByItem[k]);
            drops.Add(new DatasetDrop(DatasetDropReason.UnknownItem, with, "interactions",
                $"naming {unlisted.Count} item{(unlisted.Count == 1 ? "" : "s")} the item list does not hold", $"item '{_itemIds[first]}'", _firstUse[first].Source, _firstUse[first].Line));
        }
        if (DuplicatesDropped > 0)
            drops.Add(new DatasetDrop(DatasetDropReason.Duplicate, DuplicatesDropped, "interactions", "identical to an earlier row", null, _firstDuplicate?.Source, _firstDuplicate?.Line));
        return drops;
    }

    private static string? With(long interactions) =>
        interactions == 0 ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"with their {interactions:N0} interaction{(interactions == 1 ? "" : "s")}");

    private int ItemKey(string id, string? source = null, long? line = null)
    {
        if (!_itemKeys.TryGetValue(id, out int key))
        {
            key = _itemIds.Count;
            _itemKeys.Add(id, key);
            _itemIds.Add(id);
            _itemInfo.Add((null, null, -1, null, null));
            _firstUse.Add((source, line));
        }
        return key;
    }

    private readonly record struct RawInteraction(int User, int ItemKey, float Rating, long Timestamp);
}
