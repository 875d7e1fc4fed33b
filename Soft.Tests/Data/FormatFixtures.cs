using System.Globalization;
using System.Text;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

/// <summary>
/// Writes a small folder in each format <see cref="DatasetFolder"/> recognises: the same 4 users and 14 titled items
/// (12 distinct items each, one second apart, so the default 10-item history fits), spelled as each publisher spells them. Made here, so no dataset has to be
/// redistributed; the shapes follow the public readers' documentation.
/// </summary>
internal static class FormatFixtures
{
    public static readonly string[] Titles =
        ["Halo", "Zelda", "Portal", "Doom", "Myst", "Tetris", "Quake", "Braid", "Limbo", "Fez", "Celeste", "Hades", "Inside", "Journey"];

    // user -> item numbers (1-based), oldest first: user u starts at item 3u + 1 and walks on, wrapping around.
    private static readonly int[][] Histories =
        [.. Enumerable.Range(0, 4).Select(u => Enumerable.Range(0, 12).Select(p => ((3 * u) + p) % 14 + 1).ToArray())];

    /// <summary>Every format with the folder-writer that makes it.</summary>
    public static IEnumerable<object[]> All() => Enum.GetValues<DatasetFormat>().Select(f => new object[] { f });

    /// <summary>Writes <paramref name="format"/>'s files into <paramref name="folder"/> and returns the dataset's expected name.</summary>
    public static string Write(DatasetFormat format, TempFolder folder)
    {
        switch (format)
        {
            case DatasetFormat.LastFm:
                folder.Write("id2name.txt", Lines(Titles.Select((t, i) => $"{i}::{t}")));
                folder.Write("sequences.tsv", "split\tuser\titem_ids\n" + Lines(Histories.Select((h, u) =>
                    $"{(u < 2 ? "train" : u == 2 ? "valid" : "test")}\t{u}\t{string.Join(' ', h.Select(i => i - 1))}")));
                return Path.GetFileName(folder.Path);
            case DatasetFormat.MovieLens100K:
                folder.WriteBytes("u.item", Encoding.Latin1.GetBytes(Lines(Titles.Select((t, i) => $"{i + 1}|{t} (1999)|01-Jan-1999||http://x|0|1|0"))));
                folder.Write("u.data", Lines(Ratings((u, i, t) => $"{u}\t{i}\t4\t{t}")));
                return Path.GetFileName(folder.Path);
            case DatasetFormat.MovieLens1M:
                folder.WriteBytes("movies.dat", Encoding.Latin1.GetBytes(Lines(Titles.Select((t, i) => $"{i + 1}::{t} (1999)::Action"))));
                folder.Write("ratings.dat", Lines(Ratings((u, i, t) => $"{u}::{i}::4::{t}")));
                return Path.GetFileName(folder.Path);
            case DatasetFormat.MovieLensLatest:
                folder.Write("movies.csv", "movieId,title,genres\n" + Lines(Titles.Select((t, i) => $"{i + 1},\"{t} (1999)\",Action")));
                folder.Write("ratings.csv", "userId,movieId,rating,timestamp\n" + Lines(Ratings((u, i, t) => $"{u},{i},4.0,{t}")));
                return Path.GetFileName(folder.Path);
            case DatasetFormat.AmazonReviews2023:
                folder.Write("Video_Games.csv", "user_id,parent_asin,rating,timestamp\n" + Lines(Ratings((u, i, t) => $"U{u},B0{i},5.0,{t}000")));
                folder.Write("meta_Video_Games.jsonl", Lines(Titles.Select((t, i) => $"{{\"parent_asin\": \"B0{i + 1}\", \"title\": \"{t}\", \"main_category\": \"Video Games\"}}")));
                return "Video_Games";
            case DatasetFormat.RecBoleAtomic:
                folder.Write("games.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" + Lines(Ratings((u, i, t) => $"{u}\t{i}\t4\t{t}")));
                folder.Write("games.item", "item_id:token\ttitle:token_seq\n" + Lines(Titles.Select((t, i) => $"{i + 1}\t{t}")));
                return "games";
            case DatasetFormat.RecBoleBenchmark:
                // The UniSRec/CoWPiRec layout: .inter files hold indices, item2index maps the ASINs of the .text file to them.
                folder.Write("Scientific.text", "item_id:token\ttext:token_seq\n" + Lines(Titles.Select((t, i) => $"ASIN{i + 1}\t{t}")));
                folder.Write("Scientific.item2index", Lines(Titles.Select((_, i) => $"ASIN{i + 1}\t{Titles.Length - i}")));
                folder.Write("Scientific.user2index", Lines(Histories.Select((_, u) => $"A{u}\t{u + 1}")));
                foreach (var (split, take) in new[] { ("train", 3), ("valid", 4), ("test", 5) })
                {
                    folder.Write($"Scientific.{split}.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\n" + Lines(Histories.Select((h, u) =>
                        $"{u + 1}\t{string.Join(' ', h.Take(take - 1).Select(Index))}\t{Index(h[take - 1])}")));
                }
                return "Scientific";
            case DatasetFormat.D3Csv:
                const string header = "user_id,history_item_id,history_item_title,item_id,item_title,timestamp\n";
                // MiniOneRec's item table: semantic code, title, id.
                folder.Write("info/Games.txt", Lines(Titles.Select((t, i) => $"<a_{i}><b_{i + 3}>\t{t}\t{i}")));
                foreach (var (split, take) in new[] { ("train", 3), ("valid", 4), ("test", 5) })
                {
                    folder.Write($"{split}/Games.csv", header + Lines(Histories.Select((h, u) =>
                        $"U{u},\"[{string.Join(", ", h.Take(take - 1).Select(i => i - 1))}]\",\"[{string.Join(", ", h.Take(take - 1).Select(i => $"'{Titles[i - 1]}'"))}]\",{h[take - 1] - 1},{Titles[h[take - 1] - 1]},{take}")));
                }
                return "Games";
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    // Item n's UniSRec index: the fixture numbers them backwards so that an unmapped index reads as the wrong item.
    private static string Index(int item) => (Titles.Length - item + 1).ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Ratings(Func<int, int, long, string> line) =>
        Histories.SelectMany((h, u) => h.Select((item, p) => line(u + 1, item, 1_000_000_000L + (u * 10) + p)));

    private static string Lines(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";
}
