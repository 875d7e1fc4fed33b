using System.Text;

namespace Soft.Data;

/// <summary>
/// Renders a sample's history as prompt text. A template is plain text with placeholders: <c>{history}</c> (the
/// quoted titles joined by <c>", "</c>, required), <c>{count}</c> (how many), <c>{nouns}</c>, <c>{noun}</c> and
/// <c>{verb}</c> (from the <see cref="RecommendationDomain"/>). <c>{{</c> and <c>}}</c> write literal braces.
/// The completion is always the quoted target title (see <see cref="TitleQuoting"/>).
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
    {
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

    /// <summary>
    /// A copy that shows each history title through <paramref name="historyTitle"/> (for example cut to a number of
    /// tokens, see <see cref="Pipeline.SoftOptions.MaxHistoryTitleTokens"/>); completions keep the full title, because
    /// they are what the model must name.
    /// </summary>
    /// <param name="historyTitle">Maps a raw title to what the history shows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="historyTitle"/> is <see langword="null"/>.</exception>
    public PromptTemplate WithHistoryTitles(Func<string, string> historyTitle)
    {
        ArgumentNullException.ThrowIfNull(historyTitle);
        var copy = new PromptTemplate(Text, Domain, HistorySeparator);
        copy._historyTitle = historyTitle;
        return copy;
    }

    /// <summary>The template text.</summary>
    public string Text { get; }

    /// <summary>What goes between the quoted history titles (and between titles of pre-training lists).</summary>
    public string HistorySeparator { get; }

    /// <summary>The domain words.</summary>
    public RecommendationDomain Domain { get; }

    /// <summary>The reference's Alpaca template for a domain.</summary>
    /// <param name="domain">The domain words.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    public static PromptTemplate Alpaca(RecommendationDomain domain) => new(AlpacaText, domain);

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
        var text = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            text.Append(placeholder switch
            {
                null => literal,
                "history" => string.Join(HistorySeparator, historyTitles.Select(t => TitleQuoting.Quote(_historyTitle?.Invoke(t) ?? t))),
                "count" => historyTitles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        string prompt = RenderPrompt([.. sample.History.Select(i => catalog[i].Title)]);
        return new RecommendationPrompt(prompt, TitleQuoting.Quote(catalog[sample.Target].Title));
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
