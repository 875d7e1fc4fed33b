using Soft.Data;
using Soft.Models;
using Soft.Models.Scratch;

namespace Soft.Tests.Models.Scratch;

/// <summary>The compacted GPT-2 tokenizer is lossless, equals GPT-2 on its corpus and loads as a Hugging Face folder.</summary>
public sealed class CompactTokenizerTests : IClassFixture<CompactTokenizerTests.LastFmTokenizer>
{
    private readonly LastFmTokenizer _fixture;

    public CompactTokenizerTests(LastFmTokenizer fixture) => _fixture = fixture;

    [Fact]
    public void Vocabulary_is_much_smaller_than_gpt2s()
    {
        Console.WriteLine($"LastFM compact vocabulary: {_fixture.Compact.VocabularySize} ids, {_fixture.Compact.MergeCount} merges");
        _fixture.Compact.VocabularySize.Should().BeLessThan(50257 / 4);
        _fixture.Compact.VocabularySize.Should().Be(3 + 256 + _fixture.Compact.MergeCount);
        _fixture.Tokenizer.VocabularySize.Should().Be(_fixture.Compact.VocabularySize);
    }

    [Fact]
    public void Every_title_round_trips_losslessly_including_non_latin_quotes_and_emoji()
    {
        var titles = _fixture.Dataset.Catalog.Items.Select(i => i.Title).ToList();
        // The check only means something if the catalogue has the hard cases.
        titles.Should().Contain(t => t.Any(c => c > 0x2E80), "LastFM has CJK artist names");
        titles.Should().Contain(t => t.Any(c => c > 0x7F && c < 0x250), "LastFM has accented Latin names");
        titles.Should().Contain(t => t.Contains('"') || t.Contains('\''), "LastFM has titles with quotes");
        string[] extra = ["Björk 😀 and \"quotes\" \\ back", "坂本龍一 · Сплин", "  two  spaces\tand tab\n", "🎸🥁"];
        foreach (string text in titles.Concat(titles.Select(TitleQuoting.Quote)).Concat(extra))
        {
            var ids = _fixture.Tokenizer.Encode(text, addBos: false);
            _fixture.Tokenizer.Decode(ids).Should().Be(text);
            _fixture.Tokenizer.Decode(_fixture.Tokenizer.Encode(text)).Should().Be(text, "BOS is dropped when decoding");
        }
    }

    [Fact]
    public void Encodings_equal_gpt2s_mapped_through_the_renumbering_on_the_whole_corpus()
    {
        var gpt2 = Gpt2Ranks.CreateReference();
        int texts = 0;
        foreach (string text in CatalogText.TokenizerCorpus(_fixture.Dataset))
        {
            var expected = gpt2.EncodeToIds(text).Select(id => _fixture.Compact.FromGpt2Id(id) ?? -1).ToArray();
            var actual = _fixture.Tokenizer.Encode(text, addBos: false);
            Show(actual).Should().Be(Show(expected), $"'{text}' must encode as GPT-2 does");
            texts++;
        }
        texts.Should().BeGreaterThan(2 * _fixture.Dataset.Catalog.Count);
        // Renumbering is a bijection on the kept tokens.
        for (int id = 3; id < _fixture.Compact.VocabularySize; id++)
            _fixture.Compact.FromGpt2Id(_fixture.Compact.ToGpt2Id(id)!.Value).Should().Be(id);
    }

    [Fact]
    public void Text_outside_the_corpus_still_encodes_losslessly_in_kept_tokens()
    {
        const string text = "Zyzzyva's 量子 ✈ orchestra (live) — 2024";
        var ids = _fixture.Tokenizer.Encode(text, addBos: false);
        ids.Should().OnlyContain(id => id >= 3 && id < _fixture.Compact.VocabularySize);
        _fixture.Tokenizer.Decode(ids).Should().Be(text);
    }

    [Fact]
    public void Saved_folder_is_a_gpt2_tokenizer_folder_with_bos_eos_and_pad()
    {
        foreach (string file in new[] { "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json" })
            File.Exists(Path.Combine(_fixture.Folder, file)).Should().BeTrue(file);
        var vocab = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(_fixture.Folder, "vocab.json")))!;
        vocab.Values.Order().Should().Equal(Enumerable.Range(0, _fixture.Compact.VocabularySize));
        vocab["<pad>"].Should().Be(0);
        vocab["<s>"].Should().Be(1);
        vocab["<|endoftext|>"].Should().Be(2);
        var merges = File.ReadAllLines(Path.Combine(_fixture.Folder, "merges.txt"));
        merges[0].Should().StartWith("#version");
        merges.Skip(1).Where(l => l.Length > 0).Should().HaveCount(_fixture.Compact.MergeCount)
            .And.OnlyContain(l => l.Split(' ').Length == 2 && vocab.ContainsKey(l.Split(' ')[0]) && vocab.ContainsKey(l.Split(' ')[1]) && vocab.ContainsKey(l.Replace(" ", "")));
        var tokenizer = _fixture.Tokenizer;
        (tokenizer.PadTokenId, tokenizer.BosTokenId, tokenizer.EosTokenId, tokenizer.AddsBosToken).Should().Be((0, (int?)1, 2, true));
        tokenizer.Encode("Björk")[0].Should().Be(1);
    }

    private static string Show(IEnumerable<int> ids) => string.Join(",", ids);

    /// <summary>LastFM's catalogue, its compact tokenizer, and that tokenizer read back from disk.</summary>
    public sealed class LastFmTokenizer : IDisposable
    {
        private readonly TempFolder _folder = new();

        public LastFmTokenizer()
        {
            Dataset = EmbeddedDatasets.LastFm();
            Compact = CompactTokenizer.Build(CatalogText.TokenizerCorpus(Dataset));
            Compact.Save(_folder.Path);
            Folder = _folder.Path;
            Tokenizer = HfTokenizer.Load(_folder.Path, new LlamaConfig { ModelType = "llama" });
        }

        public RecommendationDataset Dataset { get; }

        // Internal like the type: xUnit needs the fixture class public, not this property.
        internal CompactTokenizer Compact { get; }

        public string Folder { get; }

        public ITextTokenizer Tokenizer { get; }

        public void Dispose() => _folder.Dispose();
    }
}
