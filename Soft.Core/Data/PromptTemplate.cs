using System.Text;

namespace Soft.Data;

/// <summary>
/// Renders a sample's history as prompt text. A template is plain text with placeholders: <c>{history}</c> (the
/// quoted titles joined by <c>", "</c>, required), <c>{count}</c> (how many), <c>{nouns}</c>, <c>{noun}</c> and
/// <c>{verb}</c> (from the <see cref="RecommendationDomain"/>). <c>{{</c> and <c>}}</c> write literal braces.
/// The completion is the quoted target title (see <see cref="TitleQuoting"/>), or, for a template
/// <see cref="WithItemTokens">with item tokens</see>, the target's item token; history items are written the same way.
/// </summary>
public sealed class PromptTemplate
{
    /// <summary>The reference's BIGRec / Alpaca template, with the domain words as placeholders.</summary>
    public const string AlpacaText =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n" +
        "### Instruction:\n" +
        "Given a list of {nouns} the user has {verb} before, please recommend a new {noun} that the user likes to the user.\n\n" +
        "### Input:\n" +
        "The user has {verb} the following {nouns} before: {history}\n\n" +
        "### Response:\n";

    /// <summary>
    /// A short template for small models: with a 512-piece tokenizer the Alpaca boilerplate alone costs about 200
    /// tokens, which a model with a 512-token context cannot spare. It lists the history one title per line
    /// (<see cref="CompactSeparator"/>), so the answer on the line after <c>next …:</c> reads as the list's next line:
    /// a base model pre-trained on such lists (Soft.Models.Scratch) starts a title there instead of closing one.
    /// </summary>
    public const string CompactText = "{verb}:\n{history}\nnext {noun}:\n";

    /// <summary>
    /// The compact template for item tokens: the history and nothing after it, so the recommendation is simply the
    /// next token of the list, the form the item-token base model is pre-trained on (Soft.Models.Scratch); a trailing
    /// <c>next {noun}:</c> would put the answer where pre-training never predicted one.
    /// </summary>
    public const string CompactItemsText = "{verb}:\n{history}";

    /// <summary>The compact template's history separator: one title per line.</summary>
    public const string CompactSeparator = "\n";

    /// <summary>The default history separator (the reference's): <c>", "</c>.</summary>
    public const string DefaultSeparator = ", ";

    private static readonly string[] Placeholders = ["history", "count", "nouns", "noun", "verb"];

    private readonly List<(string? Literal, string? Placeholder)> _parts;
    private Func<string, string>? _historyTitle;

    /// <summary>Parses a template.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="domain">The domain words for <c>{nouns}</c>, <c>{noun}</c> and <c>{verb}</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="domain"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The text has an unknown or unclosed placeholder, a stray brace, or no <c>{history}</c>.</exception>
    /// <param name="historySeparator">What goes between the quoted history titles; defaults to <see cref="DefaultSeparator"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="historySeparator"/> is empty.</exception>
    public PromptTemplate(string text, RecommendationDomain domain, string historySeparator = DefaultSeparator)
        : this(text, domain, historySeparator, itemTokens: false)
    {
    }

    private PromptTemplate(string text, RecommendationDomain domain, string historySeparator, bool itemTokens)
    {
        ItemTokens = itemTokens;
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentException.ThrowIfNullOrEmpty(historySeparator);
        Text = text;
        HistorySeparator = historySeparator;
        Domain = domain;
        _parts = Parse(text);
        if (!_parts.Any(p => p.Placeholder == "history"))
            throw new ArgumentException("A prompt template needs a {history} placeholder.", nameof(text));
    }

    /// <summary>The template text.</summary>
    public string Text { get; }

    /// <summary>What goes between the quoted history titles (and between titles of pre-training lists).</summary>
    public string HistorySeparator { get; }

    /// <summary>The domain words.</summary>
    public RecommendationDomain Domain { get; }

    /// <summary>
    /// True when items are written as their item tokens (<see cref="ItemTokenText"/>, e.g. <c>&lt;item_17&gt;</c>)
    /// instead of quoted titles; the template's own words stay text.
    /// </summary>
    public bool ItemTokens { get; }

    /// <summary>This template with items written as item tokens (see <see cref="ItemTokens"/>).</summary>
    public PromptTemplate WithItemTokens() => new(Text, Domain, HistorySeparator, itemTokens: true) { _historyTitle = _historyTitle };

    /// <summary>
    /// A copy that shows each history title through <paramref name="historyTitle"/> (for example cut to a number of
    /// tokens, see <see cref="Pipeline.SoftOptions.MaxHistoryTitleTokens"/>); completions keep the full title, because
    /// they are what the model must name. Item tokens are not titles and stay as they are.
    /// </summary>
    /// <param name="historyTitle">Maps a raw title to what the history shows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="historyTitle"/> is <see langword="null"/>.</exception>
    public PromptTemplate WithHistoryTitles(Func<string, string> historyTitle)
    {
        ArgumentNullException.ThrowIfNull(historyTitle);
        return new PromptTemplate(Text, Domain, HistorySeparator, ItemTokens) { _historyTitle = historyTitle };
    }

    /// <summary>How item <paramref name="item"/> of <paramref name="catalog"/> is written in prompts and as a target.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="item"/> is not a catalogue index.</exception>
    public string ItemText(int item, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, catalog.Count);
        return ItemTokens ? ItemTokenText.Of(item) : TitleQuoting.Quote(catalog[item].Title);
    }

    /// <summary>
    /// Items written as <see cref="ItemText"/> and joined by <see cref="ItemSeparator"/>: a history without the
    /// template's words.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string ItemList(IEnumerable<int> items, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(items);
        return string.Join(ItemSeparator, items.Select(i => ItemTokens ? ItemText(i, catalog) : TitleQuoting.Quote(HistoryTitle(catalog[i].Title))));
    }

    /// <summary>
    /// What goes between two items: <see cref="HistorySeparator"/> between titles, nothing between item tokens (each
    /// is one token already, and a separator would double the sequence the model reads).
    /// </summary>
    public string ItemSeparator => ItemTokens ? string.Empty : HistorySeparator;

    /// <summary>
    /// <paramref name="text"/> (a model's answer) as a reader sees it: each item token of the catalogue replaced by the
    /// item's quoted title; unchanged for a template without item tokens.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string Readable(string text, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(catalog);
        return ItemTokens ? ItemTokenText.Replace(text, i => i < catalog.Count ? TitleQuoting.Quote(catalog[i].Title) : ItemTokenText.Of(i)) : text;
    }

    /// <summary>The reference's Alpaca template for a domain.</summary>
    /// <param name="domain">The domain words.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    public static PromptTemplate Alpaca(RecommendationDomain domain) => new(AlpacaText, domain);

    /// <summary>The compact item-token template (<see cref="CompactItemsText"/>, items written as item tokens) for a domain.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    public static PromptTemplate CompactItems(RecommendationDomain domain) => new(CompactItemsText, domain, CompactSeparator, itemTokens: true);

    /// <summary>
    /// True when nothing follows <c>{history}</c>: the prompt is the template's prefix and the history, so a list of
    /// items rendered by <see cref="RenderItems"/> is also a pre-training text of the prompt's own form.
    /// </summary>
    public bool EndsWithHistory => _parts[^1].Placeholder == "history";

    /// <summary>The compact template (<see cref="CompactText"/>) for a domain.</summary>
    /// <param name="domain">The domain words.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    public static PromptTemplate Compact(RecommendationDomain domain) => new(CompactText, domain, CompactSeparator);

    /// <summary>Renders the prompt for a list of history titles.</summary>
    /// <param name="historyTitles">Raw titles, oldest first.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="historyTitles"/> is <see langword="null"/>.</exception>
    public string RenderPrompt(IReadOnlyList<string> historyTitles)
    {
        ArgumentNullException.ThrowIfNull(historyTitles);
        return Render(historyTitles.Count, string.Join(HistorySeparator, historyTitles.Select(t => TitleQuoting.Quote(HistoryTitle(t)))));
    }

    private string HistoryTitle(string title) => _historyTitle?.Invoke(title) ?? title;

    private string Render(int count, string history)
    {
        var text = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            text.Append(placeholder switch
            {
                null => literal,
                "history" => history,
                "count" => count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "nouns" => Domain.PluralNoun,
                "noun" => Domain.SingularNoun,
                _ => Domain.PastVerb,
            });
        }
        return text.ToString();
    }

    /// <summary>Renders a sample of a catalogue: prompt from its history, completion from its target.</summary>
    /// <param name="sample">The sample.</param>
    /// <param name="catalog">The catalogue its indices refer to.</param>
    /// <returns>The prompt and the quoted target title.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sample"/> or <paramref name="catalog"/> is <see langword="null"/>.</exception>
    public RecommendationPrompt Render(RecommendationSample sample, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(catalog);
        return new RecommendationPrompt(RenderItems(sample.History, catalog), ItemText(sample.Target, catalog));
    }

    /// <summary>Renders the prompt for history items of a catalogue, each written as <see cref="ItemText"/>.</summary>
    /// <param name="history">Catalogue indices, oldest first.</param>
    /// <param name="catalog">The catalogue they refer to.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string RenderItems(IReadOnlyList<int> history, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(catalog);
        return Render(history.Count, ItemList(history, catalog));
    }

    private static List<(string? Literal, string? Placeholder)> Parse(string text)
    {
        var parts = new List<(string?, string?)>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
                throw new ArgumentException($"Stray '}}' at position {i} of the prompt template (write '}}}}' for a literal brace).", nameof(text));
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            int close = text.IndexOf('}', i + 1);
            if (close < 0)
                throw new ArgumentException($"Placeholder opened at position {i} of the prompt template is not closed.", nameof(text));
            string name = text[(i + 1)..close];
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
                throw new ArgumentException($"Unknown placeholder '{{{name}}}' in the prompt template; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.", nameof(text));
            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), null));
                literal.Clear();
            }
            parts.Add((null, name));
            i = close;
        }
        if (literal.Length > 0)
            parts.Add((literal.ToString(), null));
        return parts;
    }
}
