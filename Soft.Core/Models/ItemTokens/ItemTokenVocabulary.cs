using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Data;
using Soft.IO;
using Soft.Runtime;
using static TorchSharp.torch;

namespace Soft.Models.ItemTokens;

/// <summary>
/// Adds one token per catalogue item (<see cref="ItemTokenText"/>) to a Hugging Face model folder, as
/// <c>tokenizer.add_tokens(...)</c> followed by <c>model.resize_token_embeddings(...)</c> would in transformers: the
/// tokens are written as added tokens (<c>added_tokens.json</c>, <c>tokenizer_config.json</c>'s
/// <c>added_tokens_decoder</c>, and <c>tokenizer.json</c> when the folder has one), <c>vocab_size</c> grows, and
/// <c>embed_tokens</c> (and an untied <c>lm_head</c>) gain one row per item. Each new row is the mean of the rows of
/// the item's title pieces, so a pretrained model starts from what it knows about the title.
/// </summary>
public static class ItemTokenVocabulary
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="source"/>'s model with the item tokens of <paramref name="catalog"/> into
    /// <paramref name="destination"/> (which may be the source folder itself); every file is written atomically, the
    /// weights last, so a folder that has the new weights is complete.
    /// </summary>
    /// <param name="source">A Hugging Face model folder (any architecture <see cref="TorchLanguageModel.Load"/> reads).</param>
    /// <param name="catalog">The items; item <c>i</c> gets token <see cref="ItemTokenText.Of"/>(i).</param>
    /// <param name="destination">Where the extended model goes (created if needed).</param>
    /// <returns>The id of item 0's token; item <c>i</c> has id first + i.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="source"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The source already has item tokens, a title contains an item token, or the checkpoint has no token embedding;
    /// the message names the file or the item.
    /// </exception>
    public static int Add(string source, ItemCatalog catalog, string destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"Model folder not found: {source}");
        foreach (var item in catalog.Items)
        {
            if (ItemTokenText.Contains(item.Title))
                throw new InvalidDataException($"Item '{item.Id}' (catalogue index {item.Index}) has a title that contains an item token ('{item.Title}'); item tokens would read it as another item. Rename the item or turn item tokens off.");
        }
        SoftRuntime.EnsureNativeLibrary();
        string configPath = Path.Combine(source, "config.json");
        var config = ModelConfig.Load(configPath);
        var tokenizer = HfTokenizer.Load(source, config);
        if (tokenizer.Added.TryGetId(ItemTokenText.Of(0), out _))
            throw new InvalidDataException($"{source}: the tokenizer already has item tokens; add them to a folder without them.");
        int first = tokenizer.VocabularySize;
        int rows = Math.Max(config.VocabSize, first + catalog.Count);
        var pieces = catalog.Items.Select(i => tokenizer.Encode(i.Title, addBos: false).ToArray()).ToArray();

        Directory.CreateDirectory(destination);
        WriteTokenizer(source, destination, catalog.Count, first);
        var configJson = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        configJson["vocab_size"] = rows;
        if (!SamePath(source, destination))
        {
            foreach (string file in new[] { "generation_config.json" })
            {
                if (File.Exists(Path.Combine(source, file)))
                    AtomicFile.WriteAllBytes(Path.Combine(destination, file), File.ReadAllBytes(Path.Combine(source, file)));
            }
        }
        using (NewDisposeScope())
        {
            var checkpoint = CheckpointFiles.Read(source, allowPickled: false);
            var grown = checkpoint.Select(p => (p.Key, IsTokenMatrix(p.Key, p.Value, config.VocabSize) ? Grow(p.Value, rows, first, pieces) : p.Value)).ToList();
            if (grown.Count(g => IsTokenMatrix(g.Key, checkpoint[g.Key], config.VocabSize)) == 0)
                throw new InvalidDataException($"{source}: no token embedding (embed_tokens / wte) of {config.VocabSize} rows in the checkpoint.");
            AtomicFile.WriteAllText(Path.Combine(destination, "config.json"), configJson.ToJsonString(ModelConfig.SerializerOptions));
            AtomicFile.Write(Path.Combine(destination, CheckpointFiles.Single), stream => SafetensorsFile.Write(stream, grown));
        }
        return first;
    }

    /// <summary>
    /// The id of item 0's token in <paramref name="tokenizer"/>, after checking that every item of the catalogue has
    /// one token and the ids are consecutive (item i has id first + i).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The tokenizer lacks an item token or numbers them otherwise; the message names the item.</exception>
    public static int FirstId(ITextTokenizer tokenizer, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(catalog);
        int first = -1;
        for (int i = 0; i < catalog.Count; i++)
        {
            var ids = tokenizer.Encode(ItemTokenText.Of(i), addBos: false);
            if (ids.Count != 1 || (first >= 0 && ids[0] != first + i))
                throw new InvalidOperationException($"The model's tokenizer has no single token {ItemTokenText.Of(i)} for item '{catalog[i].Id}' (or its id is not consecutive with item 0's); build the model with item tokens for this catalogue.");
            if (i == 0)
                first = ids[0];
        }
        return first;
    }

    // The input embedding and an untied (or duplicated) output head: the matrices indexed by token id.
    private static bool IsTokenMatrix(string name, Tensor value, int vocabSize) =>
        value.dim() == 2 && value.shape[0] == vocabSize &&
        (name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) || name.EndsWith("wte.weight", StringComparison.Ordinal) || name == "lm_head.weight");

    // Rows [0, old) kept; row first + i = mean of the rows of item i's title pieces; any row beyond stays zero. A title
    // the tokenizer encodes to no piece at all (SentencePiece drops some characters) gets the mean of every old row:
    // the mean of nothing is NaN, and one NaN row turns every item's log-softmax into NaN.
    private static Tensor Grow(Tensor matrix, int rows, int first, int[][] pieces)
    {
        var source = matrix.to(ScalarType.Float32);
        var grown = zeros(rows, matrix.shape[1], dtype: ScalarType.Float32);
        long kept = Math.Min(matrix.shape[0], first);
        grown.narrow(0, 0, kept).copy_(source.narrow(0, 0, kept));
        var fallback = source.narrow(0, 0, kept).mean([0]);
        for (int i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].Length == 0)
            {
                grown[first + i].copy_(fallback);
                continue;
            }
            using var ids = tensor(pieces[i].Select(p => (long)p).ToArray());
            grown[first + i].copy_(source.index_select(0, ids).mean([0]));
        }
        return grown.to(matrix.dtype);
    }

    private static void WriteTokenizer(string source, string destination, int count, int first)
    {
        if (!SamePath(source, destination))
        {
            foreach (string file in HfTokenizer.Files)
            {
                if (File.Exists(Path.Combine(source, file)))
                    AtomicFile.WriteAllBytes(Path.Combine(destination, file), File.ReadAllBytes(Path.Combine(source, file)));
            }
        }
        string slowPath = Path.Combine(destination, "added_tokens.json");
        var slow = File.Exists(slowPath) ? JsonNode.Parse(File.ReadAllText(slowPath))!.AsObject() : new JsonObject();
        string configPath = Path.Combine(destination, "tokenizer_config.json");
        var config = File.Exists(configPath) ? JsonNode.Parse(File.ReadAllText(configPath))!.AsObject() : new JsonObject();
        var decoder = config["added_tokens_decoder"] as JsonObject ?? new JsonObject();
        string fastPath = Path.Combine(destination, "tokenizer.json");
        var fast = File.Exists(fastPath) ? JsonNode.Parse(File.ReadAllText(fastPath))!.AsObject() : null;
        var fastAdded = fast?["added_tokens"] as JsonArray;
        if (fast is not null && fastAdded is null)
            fast["added_tokens"] = fastAdded = [];
        for (int i = 0; i < count; i++)
        {
            string content = ItemTokenText.Of(i);
            int id = first + i;
            slow[content] = id;
            // Not special (item tokens are ordinary output, kept by decode) and not normalised (no prefix space added).
            decoder[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Entry(content, null);
            fastAdded?.Add(Entry(content, id));
        }
        config["added_tokens_decoder"] = decoder;
        AtomicFile.WriteAllText(slowPath, slow.ToJsonString(Json));
        AtomicFile.WriteAllText(configPath, config.ToJsonString(Json));
        if (fast is not null)
            AtomicFile.WriteAllText(fastPath, fast.ToJsonString(Json));
    }

    private static JsonObject Entry(string content, int? id)
    {
        var entry = new JsonObject();
        if (id is int value)
            entry["id"] = value;
        entry["content"] = content;
        entry["single_word"] = false;
        entry["lstrip"] = false;
        entry["rstrip"] = false;
        entry["normalized"] = false;
        entry["special"] = false;
        return entry;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
