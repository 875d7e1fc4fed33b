using System.Text.Json.Nodes;

namespace Soft.Models;

/// <summary>
/// Hugging Face <i>added tokens</i> that the underlying BPE or SentencePiece model does not know (item tokens, new
/// special tokens): the text is cut at each occurrence before the model encodes the pieces between them, and each
/// occurrence becomes its one id, as <c>transformers</c> does. Read from <c>added_tokens.json</c>,
/// <c>tokenizer_config.json</c>'s <c>added_tokens_decoder</c> and <c>tokenizer.json</c>'s <c>added_tokens</c>.
/// </summary>
internal sealed class AddedTokens
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<int, string> _contents;
    private readonly int[] _lengths;
    private readonly HashSet<char> _firsts;

    public AddedTokens(IReadOnlyDictionary<string, int> tokens)
    {
        _ids = new Dictionary<string, int>(tokens, StringComparer.Ordinal);
        _contents = _ids.ToDictionary(p => p.Value, p => p.Key);
        // Longest first, so "<item_12>" wins over a shorter token that is its prefix.
        _lengths = [.. _ids.Keys.Select(k => k.Length).Distinct().OrderDescending()];
        _firsts = [.. _ids.Keys.Select(k => k[0])];
    }

    public int Count => _ids.Count;

    /// <summary>One past the highest added id (0 when there are none).</summary>
    public int EndId => _ids.Count == 0 ? 0 : _ids.Values.Max() + 1;

    public bool TryGetId(string content, out int id) => _ids.TryGetValue(content, out id);

    public bool TryGetContent(int id, out string content) => _contents.TryGetValue(id, out content!);

    /// <summary>Encodes <paramref name="text"/>: <paramref name="encode"/> for the text between added tokens, their ids for them.</summary>
    public List<int> Encode(string text, Func<string, IReadOnlyList<int>> encode)
    {
        var ids = new List<int>();
        int pending = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!_firsts.Contains(text[i]))
                continue;
            foreach (int length in _lengths)
            {
                if (i + length > text.Length || !_ids.TryGetValue(text.Substring(i, length), out int id))
                    continue;
                if (i > pending)
                    ids.AddRange(encode(text[pending..i]));
                ids.Add(id);
                pending = i + length;
                i = pending - 1;
                break;
            }
        }
        if (pending < text.Length)
            ids.AddRange(encode(pending == 0 ? text : text[pending..]));
        return ids;
    }

    /// <summary>Decodes <paramref name="ids"/>: runs of model ids through <paramref name="decode"/>, added ids as their text.</summary>
    public string Decode(IEnumerable<int> ids, Func<IReadOnlyList<int>, string> decode)
    {
        var text = new System.Text.StringBuilder();
        var run = new List<int>();
        foreach (int id in ids)
        {
            if (!_contents.TryGetValue(id, out string? content))
            {
                run.Add(id);
                continue;
            }
            if (run.Count > 0)
            {
                text.Append(decode(run));
                run.Clear();
            }
            text.Append(content);
        }
        if (run.Count > 0)
            text.Append(decode(run));
        return text.ToString();
    }

    /// <summary>
    /// The added tokens of a tokenizer folder that <paramref name="known"/> (the model's own vocabulary) lacks, from
    /// every place transformers keeps them; the same content under two ids is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">A file lists a token without content or id, or two files disagree; the message names the file.</exception>
    public static AddedTokens Read(string folder, JsonObject? settings, JsonObject? fast, Func<string, bool> known)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string content, int id, string file)
        {
            if (known(content))
                return;
            if (tokens.TryGetValue(content, out int other) && other != id)
                throw new InvalidDataException($"{Path.Combine(folder, file)}: added token '{content}' has id {id}, but another tokenizer file gives it id {other}.");
            tokens[content] = id;
        }

        string slow = Path.Combine(folder, "added_tokens.json");
        if (File.Exists(slow))
        {
            JsonObject map;
            try
            {
                map = JsonNode.Parse(File.ReadAllText(slow)) as JsonObject ?? throw new InvalidDataException($"{slow}: expected a JSON object of token → id.");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"{slow}: not valid JSON ({e.Message}).", e);
            }
            foreach (var (content, id) in map)
                Add(content, IdOf(id, slow, content), "added_tokens.json");
        }
        if (settings?["added_tokens_decoder"] is JsonObject decoder)
        {
            foreach (var (key, entry) in decoder)
            {
                string content = entry?["content"]?.GetValue<string>() ?? throw new InvalidDataException($"{Path.Combine(folder, "tokenizer_config.json")}: added_tokens_decoder entry {key} has no content.");
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
                    throw new InvalidDataException($"{Path.Combine(folder, "tokenizer_config.json")}: added_tokens_decoder key '{key}' is not an id.");
                Add(content, id, "tokenizer_config.json");
            }
        }
        foreach (var entry in fast?["added_tokens"] as JsonArray ?? [])
        {
            if (entry?["content"]?.GetValue<string>() is { } content && entry["id"] is { } id)
                Add(content, IdOf(id, Path.Combine(folder, "tokenizer.json"), content), "tokenizer.json");
        }
        if (tokens.Keys.FirstOrDefault(k => k.Length == 0) is not null)
            throw new InvalidDataException($"{folder}: an added token is empty.");
        return new AddedTokens(tokens);
    }

    private static int IdOf(JsonNode? node, string file, string content) =>
        node is JsonValue value && value.TryGetValue(out int id) && id >= 0
            ? id
            : throw new InvalidDataException($"{file}: added token '{content}' has no valid id.");
}
