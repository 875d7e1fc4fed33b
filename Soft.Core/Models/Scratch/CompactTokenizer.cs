using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.IO;

namespace Soft.Models.Scratch;

/// <summary>
/// GPT-2's byte-level BPE cut down to what a corpus uses: the 256 byte tokens (so any text still encodes,
/// losslessly), every token GPT-2 emits on the corpus and the tokens those are merged from, plus
/// <see cref="PadToken"/>, <see cref="BosToken"/> and <see cref="EosToken"/>. Ids are renumbered densely; merges keep GPT-2's order, so
/// on the corpus the encodings are GPT-2's, mapped through the renumbering. <see cref="Save"/> writes a Hugging
/// Face <c>GPT2Tokenizer</c> folder (<c>vocab.json</c>, <c>merges.txt</c>) that <see cref="TorchLanguageModel.Load"/>
/// and Python <c>transformers</c> read.
/// </summary>
/// <remarks>
/// Why GPT-2 rather than a BPE trained on the catalogue: its merges come from a large web corpus, so a title's
/// pieces are real sub-words instead of artefacts of a few thousand names, and the result is checkable against a
/// reference tokenizer. Text outside the corpus still encodes, in more (shorter) pieces.
/// </remarks>
internal sealed class CompactTokenizer
{
    /// <summary>Padding token (id 0).</summary>
    public const string PadToken = "<pad>";

    /// <summary>Beginning-of-sequence token (id 1); prepended by default, as LLaMA's tokenizer does.</summary>
    public const string BosToken = "<s>";

    /// <summary>
    /// End-of-sequence token (id 2): GPT-2's own <c>&lt;|endoftext|&gt;</c>, which GPT-2 tokenizers (Microsoft.ML's
    /// <c>CodeGenTokenizer</c>, transformers' <c>GPT2Tokenizer</c>) expect in the vocabulary as their default
    /// end and unknown token.
    /// </summary>
    public const string EosToken = "<|endoftext|>";

    private static readonly string[] Specials = [PadToken, BosToken, EosToken];
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string[] _tokens;
    private readonly int[] _gpt2Ids;
    private readonly Dictionary<int, int> _fromGpt2;
    private readonly (string Left, string Right)[] _merges;

    private CompactTokenizer(string[] tokens, int[] gpt2Ids, (string, string)[] merges)
    {
        _tokens = tokens;
        _gpt2Ids = gpt2Ids;
        _merges = merges;
        _fromGpt2 = new Dictionary<int, int>();
        for (int id = 0; id < gpt2Ids.Length; id++)
        {
            if (gpt2Ids[id] >= 0)
                _fromGpt2[gpt2Ids[id]] = id;
        }
    }

    /// <summary>Id of <see cref="PadToken"/>.</summary>
    public int PadTokenId => 0;

    /// <summary>Id of <see cref="BosToken"/>.</summary>
    public int BosTokenId => 1;

    /// <summary>Id of <see cref="EosToken"/>.</summary>
    public int EosTokenId => 2;

    /// <summary>Number of ids: 3 special tokens, 256 bytes and the kept merged tokens.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>Number of BPE merges kept (one per merged token).</summary>
    public int MergeCount => _merges.Length;

    /// <summary>
    /// Builds the tokenizer from the texts the model will see (titles, metadata, rendered prompts); see
    /// <see cref="CatalogText.TokenizerCorpus"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="corpus"/> or one of its texts is null.</exception>
    /// <exception cref="ArgumentException">A text contains GPT-2's special token <c>&lt;|endoftext|&gt;</c>.</exception>
    /// <exception cref="TokenIdOutOfRangeException">
    /// The saved tokenizer, read back as <see cref="TorchLanguageModel.Load"/> reads it, encodes a corpus text to an id
    /// outside the vocabulary; the message names the text and the id (a guard: never expected).
    /// </exception>
    public static CompactTokenizer Build(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var texts = corpus as IReadOnlyCollection<string> ?? [.. corpus];
        var tokenizer = Compact(texts);
        tokenizer.ThrowIfUncovered(texts);
        return tokenizer;
    }

    private static CompactTokenizer Compact(IReadOnlyCollection<string> corpus)
    {
        var ranks = Gpt2Ranks.Instance;
        var reference = Gpt2Ranks.CreateReference();
        var used = new HashSet<int>();
        for (int b = 0; b < 256; b++)
            used.Add(ranks.Rank(ByteLevelAlphabet.Encode([(byte)b])));
        foreach (string text in corpus)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(corpus));
            foreach (int id in reference.EncodeToIds(text))
            {
                if (id >= ranks.Count)
                    throw new ArgumentException($"A corpus text contains GPT-2's special token (id {id}): '{text}'.", nameof(corpus));
                used.Add(id);
            }
        }

        // A token is only reachable through the tokens it is merged from, so those are kept too.
        var merges = new Dictionary<int, (string, string)>();
        var pending = new Stack<int>(used);
        while (pending.TryPop(out int id))
        {
            if (ranks.MergeOf(ranks.Token(id)) is not { } merge)
                continue;
            merges[id] = merge;
            foreach (string part in new[] { merge.Left, merge.Right })
            {
                if (used.Add(ranks.Rank(part)))
                    pending.Push(ranks.Rank(part));
            }
        }

        int[] kept = [.. used.Order()];
        string[] tokens = [.. Specials, .. kept.Select(ranks.Token)];
        int[] gpt2Ids = [.. Specials.Select(_ => -1), .. kept];
        // GPT-2's merge priority is its result's rank, so rank order is merges.txt order.
        var mergeList = kept.Where(merges.ContainsKey).Select(id => merges[id]).ToArray();
        return new CompactTokenizer(tokens, gpt2Ids, mergeList);
    }

    // The ids come from a different encoder (Microsoft.ML's BPE over the saved files) than the one that chose the
    // tokens (tiktoken's GPT-2), so coverage is checked through the files themselves, as a model will read them.
    private void ThrowIfUncovered(IEnumerable<string> corpus)
    {
        var folder = Directory.CreateTempSubdirectory("soft-tokenizer-");
        try
        {
            Save(folder.FullName);
            var saved = HfTokenizer.Load(folder.FullName, new LlamaConfig { ModelType = "llama" });
            foreach (string text in corpus)
                TokenIdGuard.ThrowIfOutOfRange(saved.Encode(text, addBos: false), VocabularySize, text, "the compact tokenizer's vocabulary");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The byte-level text of id <paramref name="id"/> (for example "Ġthe" for " the").</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not an id of this tokenizer.</exception>
    public string Token(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length);
        return _tokens[id];
    }

    /// <summary>This tokenizer's id for GPT-2 id <paramref name="gpt2Id"/>, or null when the token was not kept.</summary>
    public int? FromGpt2Id(int gpt2Id) => _fromGpt2.TryGetValue(gpt2Id, out int id) ? id : null;

    /// <summary>GPT-2's id for <paramref name="id"/>, or null for the special tokens (GPT-2 has none of them).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not an id of this tokenizer.</exception>
    public int? ToGpt2Id(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length);
        return _gpt2Ids[id] >= 0 ? _gpt2Ids[id] : null;
    }

    /// <summary>
    /// Writes <c>vocab.json</c>, <c>merges.txt</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>
    /// into <paramref name="folder"/> (created if needed), each file atomically.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is null.</exception>
    public void Save(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        var vocab = new JsonObject();
        for (int id = 0; id < _tokens.Length; id++)
            vocab[_tokens[id]] = id;
        AtomicFile.WriteAllText(Path.Combine(folder, "vocab.json"), vocab.ToJsonString(Json));

        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in _merges)
            merges.Append(left).Append(' ').Append(right).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(folder, "merges.txt"), merges.ToString());

        var specialMap = new JsonObject { ["bos_token"] = BosToken, ["eos_token"] = EosToken, ["pad_token"] = PadToken, ["unk_token"] = EosToken };
        AtomicFile.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), specialMap.ToJsonString(Json));
        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            // BOS first, as for LLaMA: pre-training texts and prompts then share one start token.
            ["add_bos_token"] = true,
            ["add_prefix_space"] = false,
            ["bos_token"] = BosToken,
            ["eos_token"] = EosToken,
            ["pad_token"] = PadToken,
            // Byte-level BPE never needs an unknown token; GPT-2 names its end token, and naming one that is in the
            // vocabulary keeps transformers from appending a new token.
            ["unk_token"] = EosToken,
            ["errors"] = "replace",
            ["clean_up_tokenization_spaces"] = false,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(Json));
    }
}
