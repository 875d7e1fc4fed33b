using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Soft.Models;

/// <summary>
/// A Hugging Face tokenizer folder read with Microsoft.ML.Tokenizers: SentencePiece (<c>tokenizer.model</c>,
/// LLaMA-2 style) or GPT-2 byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>, or the BPE model inside
/// <c>tokenizer.json</c>).
/// </summary>
internal sealed class HfTokenizer : ITextTokenizer
{
    /// <summary>Files that make up a tokenizer; <see cref="TorchLanguageModel.Save"/> copies whichever exist.</summary>
    public static readonly string[] Files =
        ["tokenizer.model", "tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"];

    private readonly Tokenizer _inner;
    private readonly AddedTokens _added;
    private readonly HashSet<int> _special;

    private readonly bool _prefixSpace;

    private HfTokenizer(Tokenizer inner, AddedTokens added, int vocabularySize, int? bos, int eos, int? specialPad, int pad, bool addsBos, bool prefixSpace = false)
    {
        _inner = inner;
        _added = added;
        _prefixSpace = prefixSpace;
        VocabularySize = Math.Max(vocabularySize, added.EndId);
        BosTokenId = bos;
        EosTokenId = eos;
        PadTokenId = pad;
        AddsBosToken = addsBos;
        // A pad id borrowed from config.json may be an ordinary token (tiny-random-gpt2 uses 98): only a pad token
        // the tokenizer itself declares is hidden from decoded text.
        _special = [eos];
        if (bos is int b)
            _special.Add(b);
        if (specialPad is int p)
            _special.Add(p);
    }

    public int VocabularySize { get; }

    /// <summary>The Microsoft.ML.Tokenizers object doing the work.</summary>
    internal Tokenizer Inner => _inner;

    /// <summary>The added tokens the inner tokenizer does not know (item tokens); cut out of the text before it runs.</summary>
    internal AddedTokens Added => _added;

    public int? BosTokenId { get; }

    public int EosTokenId { get; }

    public int PadTokenId { get; }

    public bool AddsBosToken { get; }

    public IReadOnlyList<int> Encode(string text) => Encode(text, AddsBosToken);

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        ArgumentNullException.ThrowIfNull(text);
        // GPT-2's add_prefix_space: the first word is encoded like any later one (" Hello", not "Hello").
        IReadOnlyList<int> ids = text.Length == 0 ? [] : _added.Count == 0 ? EncodeText(text) : _added.Encode(text, EncodeText);
        if (!addBos || BosTokenId is not int bos)
            return ids.ToArray();
        var result = new int[ids.Count + 1];
        result[0] = bos;
        for (int i = 0; i < ids.Count; i++)
            result[i + 1] = ids[i];
        return result;
    }

    private IReadOnlyList<int> EncodeText(string text) => _inner.EncodeToIds(_prefixSpace ? " " + text : text);

    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var shown = ids.Where(id => !_special.Contains(id));
        return _added.Count == 0 ? _inner.Decode(shown) ?? "" : _added.Decode(shown, run => _inner.Decode(run) ?? "");
    }

    /// <summary>Reads the tokenizer of <paramref name="folder"/>; <paramref name="config"/> supplies fallback special ids.</summary>
    /// <exception cref="FileNotFoundException">None of the supported tokenizer files exists; the message lists them.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is malformed or lacks an EOS token.</exception>
    public static HfTokenizer Load(string folder, ModelConfig config)
    {
        var settings = ReadSettings(folder);
        string sentencePiece = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(sentencePiece))
        {
            using var stream = File.OpenRead(sentencePiece);
            var sp = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
            int eos = sp.EndOfSentenceId;
            int? bos = sp.BeginningOfSentenceId >= 0 ? sp.BeginningOfSentenceId : null;
            int? specialPad = TokenId(settings, "pad_token", sp.Vocabulary);
            int pad = specialPad ?? FirstId(config.PadTokenId) ?? eos;
            bool addBos = settings?["add_bos_token"]?.GetValue<bool>() ?? true;
            var spAdded = AddedTokens.Read(folder, settings, null, sp.Vocabulary.ContainsKey);
            return new HfTokenizer(sp, spAdded, sp.Vocabulary.Count, bos, eos, specialPad, pad, addBos && bos is not null);
        }

        string vocab = Path.Combine(folder, "vocab.json");
        string merges = Path.Combine(folder, "merges.txt");
        string tokenizerJson = Path.Combine(folder, "tokenizer.json");
        JsonObject? fast = File.Exists(tokenizerJson) ? ReadJson(tokenizerJson) : null;
        Tokenizer bpe;
        IReadOnlyDictionary<string, int> vocabulary;
        if (File.Exists(vocab) && File.Exists(merges))
        {
            using var vocabStream = File.OpenRead(vocab);
            using var mergesStream = File.OpenRead(merges);
            (bpe, vocabulary) = CreateBpe(vocabStream, mergesStream, settings, fast, vocab, merges);
        }
        else if (fast is not null)
        {
            var (vocabStream, mergesStream) = BpeFromTokenizerJson(fast, tokenizerJson);
            using (vocabStream)
            using (mergesStream)
                (bpe, vocabulary) = CreateBpe(vocabStream, mergesStream, settings, fast, tokenizerJson, tokenizerJson);
        }
        else
        {
            throw new FileNotFoundException(
                $"No tokenizer in {folder}: expected tokenizer.model (SentencePiece), vocab.json + merges.txt, or tokenizer.json (byte-level BPE).",
                tokenizerJson);
        }

        int? eosId = TokenId(settings, "eos_token", vocabulary) ?? FirstId(config.EosTokenId);
        if (eosId is null)
            throw new InvalidDataException($"{folder}: no EOS token in tokenizer_config.json, special_tokens_map.json or config.json (eos_token_id).");
        int? bosId = TokenId(settings, "bos_token", vocabulary) ?? FirstId(config.BosTokenId);
        int? specialPadId = TokenId(settings, "pad_token", vocabulary);
        int padId = specialPadId ?? FirstId(config.PadTokenId) ?? eosId.Value;
        // GPT-2's tokenizer does not prepend BOS; Llama 3's does, through tokenizer.json's post-processor template.
        bool adds = settings?["add_bos_token"]?.GetValue<bool>() ?? TemplateStartsWith(fast?["post_processor"], bosId, vocabulary);
        bool prefixSpace = settings?["add_prefix_space"]?.GetValue<bool>() ?? false;
        var added = AddedTokens.Read(folder, settings, fast, vocabulary.ContainsKey);
        return new HfTokenizer(bpe, added, vocabulary.Count, bosId, eosId.Value, specialPadId, padId, adds && bosId is not null, prefixSpace);
    }

    // GPT-2's pre-tokenizer regex (openai/gpt-2 encoder.py): contractions, letter runs, digit runs, other symbols,
    // whitespace. A folder without a Split pre-tokenizer in tokenizer.json is plain GPT-2 byte-level BPE.
    private const string Gpt2Split = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    // Not Microsoft.ML's CodeGenTokenizer.Create: it always adds CodeGen's 38 whitespace-run tokens (ids 50257-50294,
    // e.g. 50286 for two spaces) as special tokens, whatever the vocabulary, so a GPT-2 vocabulary (50,257 ids) or a
    // compact one gets ids it does not have for every run of spaces or tabs.
    private static (Tokenizer Tokenizer, IReadOnlyDictionary<string, int> Vocabulary) CreateBpe(Stream vocab, Stream merges, JsonObject? settings, JsonObject? fast, string vocabPath, string mergesPath)
    {
        string split = SplitPattern(fast?["pre_tokenizer"]) ?? Gpt2Split;
        Dictionary<string, int> entries;
        try
        {
            entries = JsonSerializer.Deserialize<Dictionary<string, int>>(vocab) ?? throw new InvalidDataException($"{vocabPath}: empty vocabulary.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{vocabPath}: the vocabulary is not valid JSON ({e.Message}).", e);
        }

        // Special tokens are cut out before the regex runs: tokenizer.json's added tokens, else the named special
        // tokens of tokenizer_config.json that the vocabulary holds (GPT-2's <|endoftext|>).
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in fast?["added_tokens"] as JsonArray ?? [])
        {
            if (token?["special"]?.GetValue<bool>() == true && token["content"]?.GetValue<string>() is { } content)
                specials[content] = token["id"]!.GetValue<int>();
        }
        foreach (string key in new[] { "bos_token", "eos_token", "pad_token", "unk_token" })
        {
            if (TokenContent(settings, key) is { } content && entries.TryGetValue(content, out int id))
                specials.TryAdd(content, id);
        }
        // Qwen2 and Llama 3 replace GPT-2's word regex with their own (digits apart, letters glued to one leading symbol).
        Regex regex;
        try
        {
            regex = new Regex(split, RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{Path.Combine(Path.GetDirectoryName(vocabPath) ?? "", "tokenizer.json")}: pre_tokenizer Split pattern is not a valid .NET regex ({e.Message}).", e);
        }
        var mergeLines = new List<string>();
        using (var reader = new StreamReader(merges, Encoding.UTF8, leaveOpen: true))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
                    continue;
                // Microsoft.ML reports these as a bare FormatException or KeyNotFoundException, naming no file.
                string[] parts = line.Split(' ');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                    throw new InvalidDataException($"{mergesPath}: merge {mergeLines.Count + 1} '{line}' is not two tokens separated by one space.");
                foreach (string token in new[] { parts[0], parts[1], parts[0] + parts[1] })
                {
                    if (!entries.ContainsKey(token))
                        throw new InvalidDataException($"{mergesPath}: merge {mergeLines.Count + 1} '{line}' needs '{token}', which is not in the vocabulary.");
                }
                mergeLines.Add(line);
            }
        }
        var options = new BpeOptions(entries)
        {
            Merges = mergeLines,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(regex, specials.Count > 0 ? specials : null),
            SpecialTokens = specials.Count > 0 ? specials : null,
        };
        var all = new Dictionary<string, int>(entries, StringComparer.Ordinal);
        foreach (var (content, id) in specials)
            all.TryAdd(content, id);
        return (BpeTokenizer.Create(options), all);
    }

    // True when a TemplateProcessing post-processor puts the BOS token first in single sequences.
    private static bool TemplateStartsWith(JsonNode? processor, int? bos, IReadOnlyDictionary<string, int> vocabulary)
    {
        if (processor is null || bos is null)
            return false;
        if (processor["processors"] is JsonArray sequence)
            return sequence.Any(p => TemplateStartsWith(p, bos, vocabulary));
        if (processor["type"]?.GetValue<string>() != "TemplateProcessing" || processor["single"] is not JsonArray single || single.Count == 0)
            return false;
        string? first = single[0]?["SpecialToken"]?["id"]?.GetValue<string>();
        return first is not null && vocabulary.TryGetValue(first, out int id) && id == bos;
    }

    // The regex of a "Split" pre-tokenizer, alone or inside a "Sequence"; null for GPT-2's plain ByteLevel.
    private static string? SplitPattern(JsonNode? preTokenizer)
    {
        if (preTokenizer is null)
            return null;
        if (preTokenizer["type"]?.GetValue<string>() == "Split")
            return preTokenizer["pattern"]?["Regex"]?.GetValue<string>();
        if (preTokenizer["pretokenizers"] is JsonArray sequence)
            return sequence.Select(SplitPattern).FirstOrDefault(p => p is not null);
        return null;
    }

    private static JsonObject ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    // tokenizer.json keeps the BPE model inline; re-emit it as vocab.json / merges.txt streams.
    private static (Stream Vocab, Stream Merges) BpeFromTokenizerJson(JsonObject root, string path)
    {
        var model = root["model"];
        if (model?["type"]?.GetValue<string>() is not "BPE" || model["vocab"] is not JsonObject vocab || model["merges"] is not JsonArray merges)
            throw new InvalidDataException($"{path}: only byte-level BPE models (model.type 'BPE' with vocab and merges) are supported.");
        var text = new StringBuilder("#version: 0.2\n");
        foreach (var merge in merges)
        {
            // Newer tokenizers write each merge as a pair, older ones as "a b".
            text.Append(merge is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : merge!.GetValue<string>()).Append('\n');
        }
        return (new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToJsonString())), new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // tokenizer_config.json, completed by special_tokens_map.json.
    private static JsonObject? ReadSettings(string folder)
    {
        JsonObject? settings = null;
        foreach (string file in new[] { "special_tokens_map.json", "tokenizer_config.json" })
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path))
                continue;
            try
            {
                if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject obj)
                {
                    settings ??= [];
                    foreach (var (key, value) in obj)
                        settings[key] = value?.DeepClone();
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
            }
        }
        return settings;
    }

    private static int? TokenId(JsonObject? settings, string key, IReadOnlyDictionary<string, int> vocabulary) =>
        TokenContent(settings, key) is { } content && vocabulary.TryGetValue(content, out int id) ? id : null;

    private static string? TokenContent(JsonObject? settings, string key) => settings?[key] switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => null,
    };

    private static int? FirstId(JsonNode? node)
    {
        var ids = ModelConfig.Ids(node);
        return ids.Count > 0 ? ids[0] : null;
    }
}
