namespace Soft.Data.Formats;

/// <summary>The on-disk dataset layouts <see cref="DatasetFolder"/> recognises (see <see cref="DatasetFolder.Formats"/> for the files each expects).</summary>
public enum DatasetFormat
{
    /// <summary>LastFM as split by LLaRA: <c>sequences.tsv</c> and <c>id2name.txt</c> (<see cref="LastFmReader"/>).</summary>
    LastFm,

    /// <summary>MovieLens 100K: <c>u.data</c> and <c>u.item</c> (<see cref="MovieLensReader.Read100K"/>).</summary>
    MovieLens100K,

    /// <summary>MovieLens 1M: <c>ratings.dat</c> and <c>movies.dat</c> (<see cref="MovieLensReader.Read1M"/>).</summary>
    MovieLens1M,

    /// <summary>MovieLens "latest" releases: <c>ratings.csv</c> and <c>movies.csv</c> (<see cref="MovieLensReader.ReadLatest"/>).</summary>
    MovieLensLatest,

    /// <summary>Amazon Reviews 2023: a ratings CSV <c>X.csv</c> and its <c>meta_X.jsonl</c> (<see cref="AmazonReviewsReader"/>).</summary>
    AmazonReviews2023,

    /// <summary>RecBole atomic files: <c>X.inter</c> with <c>X.item</c> or <c>X.text</c> (<see cref="RecBoleReader.ReadAtomic"/>).</summary>
    RecBoleAtomic,

    /// <summary>
    /// RecBole sequential benchmark files <c>X.train.inter</c>, <c>X.valid.inter</c>, <c>X.test.inter</c> with <c>X.item</c>
    /// or <c>X.text</c>, including the UniSRec/CoWPiRec layout with <c>X.item2index</c> (<see cref="RecBoleReader.ReadBenchmark"/>).
    /// </summary>
    RecBoleBenchmark,

    /// <summary>D3/BIGRec CSVs: <c>train</c>, <c>valid</c> and <c>test</c> CSVs and an optional <c>info</c> item table (<see cref="D3CsvReader"/>).</summary>
    D3Csv,
}
