using Soft.Data.Formats;
using Soft.Data.Text;

namespace Soft.Data;

/// <summary>
/// Data shipped inside Soft.Core, usable with no file on disk. Only data whose terms allow it is shipped: LastFM
/// (HetRec 2011, non-commercial use, cite Last.fm) as split by LLaRA; its notice is the resource
/// <see cref="LastFmNoticeResource"/>. MovieLens may not be redistributed and is read from a path instead.
/// </summary>
public static class EmbeddedDatasets
{
    /// <summary>Manifest name of the LastFM sequences (<c>split, user, item_ids</c>).</summary>
    public const string LastFmSequencesResource = "Soft.Data.Embedded.lastfm.sequences.tsv";

    /// <summary>Manifest name of the LastFM artist names (<c>id::name</c>).</summary>
    public const string LastFmNamesResource = "Soft.Data.Embedded.lastfm.id2name.txt";

    /// <summary>Manifest name of the LastFM origin and licence notice.</summary>
    public const string LastFmNoticeResource = "Soft.Data.Embedded.lastfm.NOTICE.txt";

    /// <summary>The LastFM artists and sequences: 1,220 users (976/122/122 user-disjoint), 4,606 artists, 56,794 plays.</summary>
    /// <returns>The catalogue and the sequences with LLaRA's split.</returns>
    public static SequenceData LastFmSequences()
    {
        using var names = new TextLineReader(Open(LastFmNamesResource), "embedded:lastfm/id2name.txt");
        using var sequences = new TextLineReader(Open(LastFmSequencesResource), "embedded:lastfm/sequences.tsv");
        return LastFmReader.Read(names, sequences);
    }

    /// <summary>The LastFM dataset built with <paramref name="options"/> (LLaRA's split by default).</summary>
    /// <param name="options">Processing options; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    public static RecommendationDataset LastFm(DatasetOptions? options = null)
    {
        var data = LastFmSequences();
        return RecommendationDatasetBuilder.FromSequences(data.Name, data.Catalog, data.Sequences, RecommendationDomain.Artists, options);
    }

    /// <summary>The text of the LastFM origin and licence notice.</summary>
    /// <returns>The notice.</returns>
    public static string LastFmNotice()
    {
        using var reader = new StreamReader(Open(LastFmNoticeResource));
        return reader.ReadToEnd();
    }

    /// <summary>Opens an embedded resource of this assembly by its manifest name.</summary>
    /// <param name="resourceName">One of the <c>*Resource</c> constants.</param>
    /// <returns>A read-only stream the caller disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">No resource has that name.</exception>
    public static Stream Open(string resourceName)
    {
        ArgumentNullException.ThrowIfNull(resourceName);
        return typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new FileNotFoundException($"Soft.Core has no embedded resource '{resourceName}'.", resourceName);
    }
}
