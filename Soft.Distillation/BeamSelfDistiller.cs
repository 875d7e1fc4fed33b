using System.Text;
using Soft.Data;
using Soft.Evaluation;
using Soft.IO;
using Soft.Models;
using Soft.Models.ItemTokens;

namespace Soft.Distillation;

/// <summary>
/// SOFT's self-distillation: the SFT model answers every training prompt by beam search and the top beam's raw text
/// becomes the distilled target (optionally snapped to the nearest catalogue title).
/// </summary>
/// <remarks>
/// <para>
/// Samples are decoded in fixed blocks of <see cref="BeamSelfDistillerOptions.BatchSize"/> starting at sample 0, so
/// a block always holds the same prompts. With <see cref="BeamSelfDistillerOptions.PartialResultsPath"/> each
/// finished block is appended to that file and flushed; a rerun on the same samples reuses every complete block
/// and decodes only the rest, with the same batch composition, so the result equals an uninterrupted run.
/// </para>
/// <para>
/// The partial file is checked against the request: a line whose prompt or real target differs from the sample at
/// its index means the file belongs to another run, and distillation stops with an error naming the file and line
/// rather than mixing two datasets. A torn last line (a kill during a write) is dropped.
/// </para>
/// </remarks>
public sealed class BeamSelfDistiller : ISelfDistiller
{
    private readonly ITextEmbedder? _groundingEmbedder;
    private readonly object _tableLock = new();
    private ItemEmbeddingTable? _table;

    /// <summary>Creates the distiller.</summary>
    /// <param name="options">Decoding and resumption options; null for the reference defaults.</param>
    /// <param name="groundingEmbedder">The base model as embedder; required only with <see cref="BeamSelfDistillerOptions.SnapToCatalog"/>.</param>
    /// <param name="table">The item table for snapping; null builds it with <paramref name="groundingEmbedder"/> on first use.</param>
    /// <exception cref="ArgumentException">The options are invalid, or snapping is asked for without an embedder.</exception>
    public BeamSelfDistiller(BeamSelfDistillerOptions? options = null, ITextEmbedder? groundingEmbedder = null, ItemEmbeddingTable? table = null)
    {
        Options = BeamSelfDistillerOptionsValidator.Checked(options ?? new BeamSelfDistillerOptions());
        if (Options.SnapToCatalog && groundingEmbedder is null)
            throw new ArgumentException("BeamSelfDistillerOptions.SnapToCatalog needs a grounding embedder (the base model); pass groundingEmbedder.", nameof(groundingEmbedder));
        _groundingEmbedder = groundingEmbedder;
        _table = table;
    }

    /// <inheritdoc/>
    public string Name => "beam";

    /// <summary>The options in use.</summary>
    public BeamSelfDistillerOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<DistilledExample> Distill(DistillationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = request.Dataset.Catalog;
        var samples = request.Samples;
        catalog.CheckSamples(samples, nameof(request));
        var rendered = samples.Select(sample => request.Template.Render(sample, catalog)).ToArray();

        var results = new DistilledExample?[samples.Count];
        string? partialPath = request.PartialResultsPath ?? Options.PartialResultsPath;
        if (partialPath is { } partial)
            LoadPartial(partial, rendered, results);

        var table = Options.SnapToCatalog ? TableFor(catalog, cancellationToken) : null;
        for (int start = 0; start < samples.Count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Options.BatchSize, samples.Count - start);
            if (Enumerable.Range(start, count).All(i => results[i] is not null))
            {
                request.Progress?.Report((start + count, samples.Count));
                continue;
            }
            var prompts = Enumerable.Range(start, count).Select(i => rendered[i].Prompt).ToList();
            IReadOnlyList<IReadOnlyList<GeneratedSequence>> beams;
            IReadOnlyList<SoftLabel>[]? labels = null;
            if (request.Template.ItemTokens)
            {
                // With item tokens the beams are the most probable items: a free beam could put end-of-sequence first
                // and make an empty target, which would teach the student to answer nothing.
                // One ranking of the items serves both: the beams and the soft labels are its first entries.
                var top = ItemTokenAnswers.Top(request.Model, prompts, catalog, Math.Max(Options.Decoding.NumReturnSequences, Options.SoftLabels));
                beams = [.. top.Select(t => (IReadOnlyList<GeneratedSequence>)[.. t.Take(Options.Decoding.NumReturnSequences).Select(a => new GeneratedSequence([], ItemTokenText.Of(a.Item), a.LogProbability, true))])];
                if (Options.SoftLabels > 0)
                    labels = [.. top.Select(t => (IReadOnlyList<SoftLabel>)[.. t.Take(Options.SoftLabels).Select(a => new SoftLabel(a.Item, Math.Min(1, Math.Exp(a.LogProbability))))])];
            }
            else
            {
                beams = request.Model.Generate(prompts, Options.Decoding, cancellationToken);
            }
            var tops = beams.Select(b => b.Count > 0 ? b[0].Text : string.Empty).ToArray();
            var targets = table is null ? tops : Snap(tops, table, catalog, request.Template);
            var block = new DistilledExample[count];
            for (int k = 0; k < count; k++)
            {
                int i = start + k;
                block[k] = new DistilledExample(i, samples[i].UserId, rendered[i].Prompt, rendered[i].Completion, targets[k],
                    [.. beams[k].Select(b => request.Template.Readable(b.Text, catalog))], [.. beams[k].Select(b => b.Score)], labels?[k]);
                results[i] = block[k];
            }
            if (partialPath is { } path)
                Append(path, block);
            request.Progress?.Report((start + count, samples.Count));
        }
        return results!;
    }

    private ItemEmbeddingTable TableFor(ItemCatalog catalog, CancellationToken cancellationToken)
    {
        lock (_tableLock)
        {
            if (_table is null || _table.Count != catalog.Count)
                _table = ItemEmbeddingTable.Build(_groundingEmbedder!, catalog, cancellationToken: cancellationToken);
            return _table;
        }
    }

    // With item tokens the answer is embedded as the titles it names, the way the item table embeds items.
    private string[] Snap(string[] answers, ItemEmbeddingTable table, ItemCatalog catalog, PromptTemplate template)
    {
        var snapped = new string[answers.Length];
        // An empty answer has no last token to embed; it snaps to nothing and stays empty.
        var present = Enumerable.Range(0, answers.Length).Where(i => answers[i].Length > 0).ToArray();
        var vectors = present.Length > 0 ? _groundingEmbedder!.Embed([.. present.Select(i => template.Readable(answers[i], catalog))]) : [];
        for (int i = 0; i < answers.Length; i++)
            snapped[i] = answers[i];
        for (int k = 0; k < present.Length; k++)
            snapped[present[k]] = template.ItemText(table.Nearest(vectors[k]), catalog);
        return snapped;
    }

    private static void LoadPartial(string path, RecommendationPrompt[] rendered, DistilledExample?[] results)
    {
        if (!File.Exists(path))
            return;
        var lines = File.ReadAllLines(path);
        var kept = new List<string>(lines.Length);
        for (int n = 0; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
                continue;
            DistilledExample example;
            try
            {
                example = DistilledDatasetFile.ParseLine(path, n + 1, lines[n]);
            }
            catch (InvalidDataException) when (n == lines.Length - 1)
            {
                // Killed while appending: the last line is incomplete; its block is decoded again.
                continue;
            }
            int i = example.SampleIndex;
            if (i >= rendered.Length || example.Prompt != rendered[i].Prompt || example.RealTarget != rendered[i].Completion)
                throw new InvalidDataException($"{path}, line {n + 1}: sample {i} does not match this distillation's samples; the partial file belongs to another run (delete it to start over).");
            results[i] = example;
            kept.Add(lines[n]);
        }
        if (kept.Count != lines.Count(l => !string.IsNullOrWhiteSpace(l)))
            AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")));
    }

    private static void Append(string path, DistilledExample[] block)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var bytes = new UTF8Encoding(false).GetBytes(string.Concat(block.Select(DistilledDatasetFile.ToLine)));
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(bytes);
        // Flushed to disk before the next block starts, so a kill loses at most the block being decoded.
        stream.Flush(flushToDisk: true);
    }
}
