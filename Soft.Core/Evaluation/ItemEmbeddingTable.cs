using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Data;
using Soft.IO;
using Soft.Models;

namespace Soft.Evaluation;

/// <summary>
/// BIGRec's item table: one vector per catalogue item, the untuned base model's last-layer state at the last token
/// of the item's title, or at the item's own token when items are tokens (<see cref="ItemVectorSource"/>). Generated
/// answers are grounded by their L2 distance to these rows.
/// </summary>
/// <remarks>
/// <para>
/// <b>Quoted titles.</b> Items are embedded as <see cref="TitleQuoting.Quote"/> writes them (<c>"Title"</c>), the
/// exact form the model is trained to answer with. An answer that reproduces a title then lands on that item's row
/// (distance 0 up to float rounding, about 1e-5, from being embedded in a differently padded batch); embedding bare
/// titles would put every perfect answer at a title-dependent distance, because the state taken is that of the
/// closing quote.
/// </para>
/// <para>
/// <b>Duplicate titles.</b> Items sharing a title share a vector. <see cref="IsRankingRow"/> marks the first item of
/// each title, the rows the reference ranks against (its item table keeps the first item of each title).
/// </para>
/// <para>
/// The artifact is <c>items.safetensors</c>: one F32 tensor <c>items</c> of shape [items, dimension], written
/// atomically; no libtorch is needed to read or write it.
/// </para>
/// </remarks>
public sealed class ItemEmbeddingTable
{
    /// <summary>The file name of the artifact in a run folder.</summary>
    public const string FileName = "items.safetensors";

    /// <summary>The name of the tensor inside the artifact.</summary>
    public const string TensorName = "items";

    // Metadata key naming the ItemVectorSource; a file without it holds title vectors (written before item-token vectors).
    private const string VectorsKey = "vectors";

    private readonly float[] _values;
    private readonly bool[] _rankingRow;

    private ItemEmbeddingTable(ItemCatalog catalog, float[] values, int dimension)
    {
        Catalog = catalog;
        Dimension = dimension;
        _values = values;
        _rankingRow = new bool[catalog.Count];
        int[] rows = [.. catalog.FirstIndexOfEachTitle()];
        foreach (int i in rows)
            _rankingRow[i] = true;
        RankingRows = rows;
    }

    /// <summary>The catalogue the rows belong to; row i is item i.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>The number of rows (= catalogue items).</summary>
    public int Count => Catalog.Count;

    /// <summary>The vector width.</summary>
    public int Dimension { get; }

    /// <summary>The first item of each distinct title, ascending: the rows the reference ranks against.</summary>
    public IReadOnlyList<int> RankingRows { get; }

    /// <summary>The vector of item <paramref name="item"/>.</summary>
    /// <param name="item">A catalogue index.</param>
    /// <returns>A view of <see cref="Dimension"/> floats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="item"/> is outside the catalogue.</exception>
    public ReadOnlySpan<float> Row(int item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, Count);
        return _values.AsSpan(item * Dimension, Dimension);
    }

    /// <summary>Whether <paramref name="item"/> is the first item of its title (a row the reference ranks).</summary>
    /// <param name="item">A catalogue index.</param>
    /// <returns>True for the first item of each title.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="item"/> is outside the catalogue.</exception>
    public bool IsRankingRow(int item) => _rankingRow[item];

    /// <summary>The first item carrying the title of <paramref name="item"/> (itself unless it is a later duplicate).</summary>
    /// <param name="item">A catalogue index.</param>
    /// <returns>The catalogue index of its title's ranking row.</returns>
    public int RankingRowOf(int item) => Catalog.IndicesWithTitle(Catalog[item].Title)[0];

    /// <summary>The L2 distance sqrt(Σ(a − b)²) between two vectors of equal length.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector.</param>
    /// <returns>The distance; exactly 0 for equal vectors.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <remarks>
    /// The direct form rather than ‖a‖² + ‖b‖² − 2a·b: it is exactly 0 for an answer equal to an item and never
    /// negative; with SIMD it costs about a microsecond per item at width 2,048.
    /// </remarks>
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Vectors of width {a.Length} and {b.Length}; embed both with the same model.", nameof(b));
        int i = 0;
        var sum = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < va.Length; v++)
            {
                var d = va[v] - vb[v];
                sum += d * d;
            }
            i = va.Length * Vector<float>.Count;
        }
        float total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            total += d * d;
        }
        return MathF.Sqrt(total);
    }

    /// <summary>The ranking row nearest to <paramref name="query"/> (first item of its title; ties go to the smaller id).</summary>
    /// <param name="query">A vector of width <see cref="Dimension"/>.</param>
    /// <returns>The catalogue index of the nearest item.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> has another width.</exception>
    public int Nearest(ReadOnlySpan<float> query)
    {
        if (query.Length != Dimension)
            throw new ArgumentException($"The vector has width {query.Length}, the item table {Dimension}.", nameof(query));
        int best = RankingRows[0];
        float bestDistance = float.PositiveInfinity;
        foreach (int item in RankingRows)
        {
            float d = Distance(query, Row(item));
            // Strictly smaller: rows ascend, so an equal distance keeps the smaller id, and NaN never wins.
            if (d < bestDistance)
            {
                best = item;
                bestDistance = d;
            }
        }
        return best;
    }

    /// <summary>The text item <paramref name="index"/> of <paramref name="catalog"/> is embedded as.</summary>
    /// <param name="catalog">The catalogue.</param>
    /// <param name="index">A catalogue index.</param>
    /// <param name="source"><see cref="ItemVectorSource.Title"/>: the quoted title; <see cref="ItemVectorSource.ItemToken"/>: the item's token.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is <see cref="ItemVectorSource.Automatic"/> (resolve it first).</exception>
    public static string TextOf(ItemCatalog catalog, int index, ItemVectorSource source)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return source switch
        {
            ItemVectorSource.Title => TitleQuoting.Quote(catalog[index].Title),
            ItemVectorSource.ItemToken => ItemTokenText.Of(index),
            _ => throw new ArgumentException($"Resolve {source} against the prompt template first (ItemVectorSource.Resolve).", nameof(source)),
        };
    }

    /// <summary>The source <paramref name="source"/> stands for with <paramref name="template"/>.</summary>
    /// <param name="source">The source asked for.</param>
    /// <param name="template">The template the model reads; null reads as a title template.</param>
    /// <returns><paramref name="source"/>, or for <see cref="ItemVectorSource.Automatic"/> the one that fits the template.</returns>
    public static ItemVectorSource Resolve(ItemVectorSource source, PromptTemplate? template) =>
        source != ItemVectorSource.Automatic ? source : template?.ItemTokens == true ? ItemVectorSource.ItemToken : ItemVectorSource.Title;

    /// <summary>Which texts built this table (never <see cref="ItemVectorSource.Automatic"/>).</summary>
    public ItemVectorSource Source { get; private init; } = ItemVectorSource.Title;

    /// <summary>Embeds every item of <paramref name="catalog"/> with <paramref name="embedder"/> (the untuned base model).</summary>
    /// <param name="embedder">The grounding embedder.</param>
    /// <param name="catalog">The catalogue.</param>
    /// <param name="source">What each item is embedded as; <see cref="ItemVectorSource.Automatic"/> reads as <see cref="ItemVectorSource.Title"/>.</param>
    /// <param name="batchSize">Titles per <see cref="ITextEmbedder.Embed"/> call; default 64.</param>
    /// <param name="progress">Receives (done, total) item counts.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="embedder"/> or <paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The embedder returned a wrong number of vectors or vectors of varying width.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ItemEmbeddingTable Build(ITextEmbedder embedder, ItemCatalog catalog, ItemVectorSource source = ItemVectorSource.Title, int batchSize = 64, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        source = Resolve(source, null);
        float[]? values = null;
        int dimension = 0;
        for (int start = 0; start < catalog.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, catalog.Count - start);
            var texts = new string[count];
            for (int i = 0; i < count; i++)
                texts[i] = TextOf(catalog, start + i, source);
            var vectors = embedder.Embed(texts);
            if (vectors.Length != count)
                throw new InvalidOperationException($"The embedder returned {vectors.Length} vectors for {count} titles.");
            if (values is null)
            {
                dimension = vectors[0].Length;
                if (dimension == 0)
                    throw new InvalidOperationException("The embedder returned empty vectors.");
                values = new float[(long)catalog.Count * dimension];
            }
            for (int i = 0; i < count; i++)
            {
                if (vectors[i].Length != dimension)
                    throw new InvalidOperationException($"The embedder returned a vector of width {vectors[i].Length} for item {start + i}, expected {dimension}.");
                vectors[i].CopyTo(values, (start + i) * dimension);
            }
            progress?.Report((start + count, catalog.Count));
        }
        return new ItemEmbeddingTable(catalog, values!, dimension) { Source = source };
    }

    /// <summary>Creates a table from vectors already computed (one row per catalogue item).</summary>
    /// <param name="catalog">The catalogue.</param>
    /// <param name="rows">One vector per item, all of the same non-zero width.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The row count or widths are wrong.</exception>
    public static ItemEmbeddingTable FromRows(ItemCatalog catalog, IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count != catalog.Count)
            throw new ArgumentException($"{rows.Count} rows for a catalogue of {catalog.Count} items.", nameof(rows));
        int dimension = rows[0].Length;
        if (dimension == 0)
            throw new ArgumentException("Rows must not be empty.", nameof(rows));
        var values = new float[(long)rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dimension)
                throw new ArgumentException($"Row {i} has width {rows[i].Length}, expected {dimension}.", nameof(rows));
            rows[i].CopyTo(values, i * dimension);
        }
        return new ItemEmbeddingTable(catalog, values, dimension);
    }

    /// <summary>Writes the table to <paramref name="path"/> as safetensors (one F32 tensor [items, dimension]), atomically.</summary>
    /// <param name="path">The file, usually <c>run/items.safetensors</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long bytes = (long)_values.Length * sizeof(float);
        var header = new JsonObject
        {
            ["__metadata__"] = new JsonObject { ["format"] = "pt", ["producer"] = "Soft.ItemEmbeddingTable", [VectorsKey] = Source.ToString() },
            [TensorName] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(Count, Dimension),
                ["data_offsets"] = new JsonArray(0L, bytes),
            },
        };
        AtomicFile.Write(path, stream =>
        {
            SafetensorsHeader.Write(stream, header);
            WriteLittleEndian(stream, _values);
        });
    }

    /// <summary>Reads a table written by <see cref="Save"/> and checks it against <paramref name="catalog"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">The catalogue the table must belong to.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, holds no F32 <c>items</c> tensor, or its row count is not the catalogue's size; the message names the file.</exception>
    public static ItemEmbeddingTable Load(string path, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(catalog);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Item table not found: {path}", path);
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Length < 8 || stream.Read(prefix) != 8)
            throw new InvalidDataException($"{path}: too short to be a safetensors file.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(stream.Length - 8))
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size.");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonNode? entry;
        var source = ItemVectorSource.Title;
        try
        {
            var header = JsonNode.Parse(headerBytes);
            entry = header?[TensorName];
            if (header?["__metadata__"]?[VectorsKey]?.GetValue<string>() is { } vectors && !Enum.TryParse(vectors, out source))
                throw new InvalidDataException($"{path}: unknown item vectors '{vectors}' in the metadata.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON ({e.Message}).", e);
        }
        if (entry is null)
            throw new InvalidDataException($"{path}: no tensor named '{TensorName}'.");
        string? dtype = entry["dtype"]?.GetValue<string>();
        long[] shape = entry["shape"]?.AsArray().Select(n => n!.GetValue<long>()).ToArray() ?? [];
        long[] offsets = entry["data_offsets"]?.AsArray().Select(n => n!.GetValue<long>()).ToArray() ?? [];
        if (dtype != "F32" || shape.Length != 2)
            throw new InvalidDataException($"{path}: tensor '{TensorName}' must be F32 of rank 2, found {dtype} [{string.Join(", ", shape)}].");
        if (shape[0] != catalog.Count)
            throw new InvalidDataException($"{path}: the item table has {shape[0]} rows but the catalogue has {catalog.Count} items; rebuild the table for this catalogue.");
        if (shape[1] < 1)
            throw new InvalidDataException($"{path}: the item table has width {shape[1]}.");
        long bytes = shape[0] * shape[1] * sizeof(float);
        long dataStart = 8 + (long)headerLength;
        if (offsets.Length != 2 || offsets[1] - offsets[0] != bytes || dataStart + offsets[1] > stream.Length)
            throw new InvalidDataException($"{path}: data_offsets [{string.Join(", ", offsets)}] do not fit shape [{shape[0]}, {shape[1]}].");
        stream.Position = dataStart + offsets[0];
        var values = new float[shape[0] * shape[1]];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            var ints = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }
        return new ItemEmbeddingTable(catalog, values, (int)shape[1]) { Source = source };
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        var copy = MemoryMarshal.Cast<float, int>(values.AsSpan()).ToArray();
        BinaryPrimitives.ReverseEndianness(copy, copy);
        stream.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
    }
}
